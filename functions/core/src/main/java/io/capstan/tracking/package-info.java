/**
 * MLflow-compatible experiment tracking as plain Java: experiments, runs, metrics, params, tags, dataset inputs,
 * artifacts, and MLflow 3's logged models ({@link io.capstan.tracking.LoggedModel}) with the metrics linked to them;
 * the store interfaces they are kept behind; and the tracking rules (validation, immutability of params, the current
 * value of a metric, search).
 */
package io.capstan.tracking;
