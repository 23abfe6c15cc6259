/**
 * The retraining pipeline on one machine: the same state machine definition run by aws-local-stepfunctions, its
 * Task states answered by the pipeline's task code and the local trainer, executions kept in the pipeline store,
 * and an upload watcher standing in for the EventBridge rule.
 */
package io.capstan.local.pipeline;
