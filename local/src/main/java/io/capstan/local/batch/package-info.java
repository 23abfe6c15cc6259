/** Batch predictions on the embedded platform: the batch state machine under the local interpreter, its tasks. */
package io.capstan.local.batch;
