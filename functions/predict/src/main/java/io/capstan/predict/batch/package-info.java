/**
 * Batch predictions' tasks (the plan, each chunk, the finish), run by {@code step-functions/batch-predict.asl.json}:
 * a chunk's rows are scored through the same {@link io.capstan.predict.function.PredictFunction} that answers online,
 * a thousand at a time, streamed from S3 and to a temporary file, never a whole object in memory.
 */
package io.capstan.predict.batch;
