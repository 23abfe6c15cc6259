/**
 * What runs the retraining state machine ({@link io.capstan.pipeline.engine.PipelineEngine}: Step Functions in AWS,
 * the local interpreter on one machine) and what starts it without a person (dataset uploads).
 */
package io.capstan.pipeline.engine;
