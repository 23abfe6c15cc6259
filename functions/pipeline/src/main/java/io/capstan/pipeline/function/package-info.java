/** The pipeline's HTTP API: start a retraining by hand, list and read executions, decide approvals. */
package io.capstan.pipeline.function;
