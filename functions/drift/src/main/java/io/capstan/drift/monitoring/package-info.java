/**
 * Drift checks of served models: {@link io.capstan.drift.monitoring.DriftMonitor} compares a model version's
 * captured traffic (or a dataset) with its reference, writes the JSON and HTML reports, records a summary, publishes
 * metrics and, when the model's policy says so, starts retraining with a cool-down. Storage, metrics and the state
 * machine are ports ({@link io.capstan.drift.monitoring.DriftStorage}, {@link io.capstan.monitoring.DriftMetrics},
 * {@link io.capstan.monitoring.RetrainingStarter}); the Lambda function and the embedded platform plug them in.
 */
package io.capstan.drift.monitoring;
