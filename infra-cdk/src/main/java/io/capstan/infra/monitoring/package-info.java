/**
 * The monitoring stack: the alarm topic, the predict function's alarms, the drift checks' EventBridge schedules
 * ({@link io.capstan.infra.monitoring.DriftSchedule}, from the CDK context) and the drift alarms.
 */
package io.capstan.infra.monitoring;
