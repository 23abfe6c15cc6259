/**
 * Test fixtures: a temporary SageMaker-style ml-root that runs the trainer in-process, and the ONNX Runtime parity
 * check every exported model goes through.
 */
package io.capstan.trainer.testutils;
