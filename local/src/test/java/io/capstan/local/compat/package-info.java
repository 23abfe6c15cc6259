/**
 * MLflow compatibility checked without MLflow: the Python client's recorded conversations with Capstan
 * ({@code src/test/resources/mlflow-wire}, recorded by {@code scripts/mlflow-compat.sh}) replayed against the embedded
 * platform and compared structurally, with the ids and timestamps the server chooses mapped from recorded to live.
 */
package io.capstan.local.compat;
