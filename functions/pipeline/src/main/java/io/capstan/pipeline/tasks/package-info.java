/**
 * The retraining state machine's tasks: validating and splitting the dataset, planning the training job,
 * evaluating with ONNX Runtime on a holdout, registering, gating, approval, promotion or rejection, and recording
 * failures — the same code for Step Functions in AWS and the local interpreter.
 */
package io.capstan.pipeline.tasks;
