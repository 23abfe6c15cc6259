/**
 * MLflow-compatible experiment tracking as plain Java: experiments, runs, metrics, params, tags, dataset inputs
 * and artifacts; the store interfaces they are kept behind; and the tracking rules (validation, immutability of
 * params, the current value of a metric, search).
 */
package io.capstan.tracking;
