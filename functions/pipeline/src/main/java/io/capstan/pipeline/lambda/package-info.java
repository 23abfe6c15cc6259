/**
 * The pipeline's Lambda entry points: the HTTP API, the state machine's tasks, and the dataset-upload trigger.
 */
package io.capstan.pipeline.lambda;
