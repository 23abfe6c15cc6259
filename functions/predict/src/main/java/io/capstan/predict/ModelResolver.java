package io.capstan.predict;

import java.util.List;
import java.util.Optional;

/**
 * Decides which model version serves a request. Implemented against the model registry; canary routing (sending a
 * share of the traffic, chosen by routing key, to a challenger) is the resolver's job. Called on every request, so
 * an implementation backed by a remote store caches its answers.
 */
public interface ModelResolver {

    /**
     * The version that serves {@code reference}.
     *
     * @param reference  the model and selector the request named
     * @param routingKey the request's {@code X-Capstan-Routing-Key} header, empty when absent; the same key should
     *                   reach the same version while the routing is unchanged
     * @return the version, its checksum, serving manifest and a way to fetch its ONNX bytes; never null
     * @throws io.capstan.error.CapstanException {@code RESOURCE_DOES_NOT_EXIST} when the model, alias or version does
     *                                           not exist (or has no champion), {@code INVALID_STATE} when the version
     *                                           is not ready, {@code INVALID_PARAMETER_VALUE} when the registry found
     *                                           it not servable (the message gives the reason),
     *                                           {@code TEMPORARILY_UNAVAILABLE} when the registry cannot be reached
     */
    ResolvedModel resolve(ModelReference reference, Optional<String> routingKey);

    /**
     * The models to load before the first request, for example every model's champion: {@code prime()} loads them
     * and runs one inference each before a SnapStart snapshot is taken. Empty by default.
     */
    default List<ModelReference> hotModels() {
        return List.of();
    }
}
