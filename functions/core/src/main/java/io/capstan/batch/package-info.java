/**
 * Batch predictions: what a job, its chunks and their results are, where they are written, and the state machine
 * that runs them ({@code step-functions/batch-predict.asl.json}). docs/BATCH.md describes the whole.
 */
package io.capstan.batch;
