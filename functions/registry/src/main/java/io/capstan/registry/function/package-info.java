/**
 * The registry function: MLflow's model registry REST handlers and Capstan's serving-control extensions. Registration
 * itself (the registry's immutable copy, servability, provenance) is {@code capstan-registration}'s, which the
 * retraining pipeline shares.
 */
package io.capstan.registry.function;
