/**
 * The predict function's public API: which model version answers a request, and how it is served. A
 * {@link io.capstan.predict.ModelReference} (a name and the registry's {@link io.capstan.registry.ModelSelector}:
 * champion, alias or version) is parsed from the request path; a {@link io.capstan.predict.ModelResolver}, implemented
 * against the model registry, turns it into a {@link io.capstan.predict.ResolvedModel} carrying the version's
 * {@link io.capstan.model.ServingManifest} (flavor, graph, MLflow signature and, for a tabular model, its card), whose
 * ONNX bytes are fetched only when the serving container has not loaded that version and checksum yet.
 */
package io.capstan.predict;
