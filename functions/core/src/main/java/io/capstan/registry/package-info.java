/**
 * MLflow's model registry as plain Java: registered models, versions, tags and search
 * ({@link io.capstan.registry.RegistryService}); what decides which version is served — aliases with
 * compare-and-set, legacy stages, rollback and the canary {@link io.capstan.registry.TrafficPolicy} — with an audit
 * trail ({@link io.capstan.registry.PromotionService}); and the {@link io.capstan.registry.RegistryStore} they are
 * kept behind.
 */
package io.capstan.registry;
