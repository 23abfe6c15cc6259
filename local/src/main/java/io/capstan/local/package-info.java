/**
 * Capstan's embedded platform: the same functions that run on Lambda, behind a local HTTP gateway on 127.0.0.1,
 * with DynamoDB Local and S3Proxy started in-process and their data kept in one data directory, so a restart
 * loses nothing. {@link io.capstan.local.CapstanLocal} is the command line entry point,
 * {@link io.capstan.local.LocalPlatform} the same thing as a library (tests, demos).
 */
package io.capstan.local;
