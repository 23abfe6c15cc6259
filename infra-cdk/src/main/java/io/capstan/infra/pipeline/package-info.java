/**
 * The retraining pipeline stack: the state machine from {@code step-functions/retrain.asl.json}
 * ({@link io.capstan.infra.pipeline.RetrainingStateMachine}), its tasks function, the upload trigger and its
 * EventBridge rule, SageMaker's training role, AWS Batch training on a GPU and a CPU queue
 * ({@link io.capstan.infra.pipeline.BatchTraining}) and the trainer image; and
 * {@link io.capstan.infra.pipeline.RetrainingAccess}, what other functions may do with the state machine.
 */
package io.capstan.infra.pipeline;
