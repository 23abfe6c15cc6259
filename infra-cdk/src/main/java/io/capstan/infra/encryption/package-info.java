/**
 * Encryption beyond the storage stack's: each stack's own KMS key ({@link io.capstan.infra.encryption.StackKey}),
 * the log groups and the TLS-only SNS topics ({@link io.capstan.infra.encryption.EncryptedTopic}) it encrypts.
 */
package io.capstan.infra.encryption;
