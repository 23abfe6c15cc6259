/**
 * The retraining pipeline's records shared across modules: executions and their histories, approval requests,
 * and the {@link io.capstan.pipeline.PipelineStore} that remembers uploads already acted on.
 */
package io.capstan.pipeline;
