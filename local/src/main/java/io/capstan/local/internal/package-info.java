/**
 * Internals of the embedded platform: starting the engines, the data directory lock, and translating between
 * {@code com.sun.net.httpserver} exchanges and Capstan's HTTP model. Not for callers.
 */
package io.capstan.local.internal;
