/** The drift check's storage port on Amazon S3. */
package io.capstan.drift.storage;
