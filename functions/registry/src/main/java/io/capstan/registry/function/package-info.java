/**
 * The registry function: MLflow's model registry REST handlers, Capstan's serving-control extensions, and
 * registration against the artifact store (source resolution, the registry's immutable copy, provenance).
 */
package io.capstan.registry.function;
