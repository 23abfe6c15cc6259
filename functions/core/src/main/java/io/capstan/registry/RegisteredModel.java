package io.capstan.registry;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered model: a name under which versions are registered, with tags, aliases and a traffic policy.
 *
 * @param name                 unique name
 * @param creationTimestamp    epoch milliseconds
 * @param lastUpdatedTimestamp epoch milliseconds
 * @param description          free text, empty when none
 * @param tags                 tags
 * @param aliases              alias to version number (e.g. {@code champion -> 3})
 * @param trafficPolicy        how predictions are split between aliases or versions; null when the model serves its
 *                             champion only
 */
public record RegisteredModel(String name, long creationTimestamp, long lastUpdatedTimestamp, String description,
                              Map<String, String> tags, Map<String, Long> aliases, TrafficPolicy trafficPolicy) {
    public RegisteredModel {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }

    /** The version an alias points at. */
    public Optional<Long> alias(String alias) {
        return Optional.ofNullable(aliases.get(alias));
    }

    /** The traffic policy, when one is set. */
    public Optional<TrafficPolicy> traffic() {
        return Optional.ofNullable(trafficPolicy);
    }

    public RegisteredModel withDescription(String newDescription, long now) {
        return new RegisteredModel(name, creationTimestamp, now, newDescription, tags, aliases, trafficPolicy);
    }

    public RegisteredModel withTags(Map<String, String> newTags, long now) {
        return new RegisteredModel(name, creationTimestamp, now, description, newTags, aliases, trafficPolicy);
    }

    public RegisteredModel withAliases(Map<String, Long> newAliases, long now) {
        return new RegisteredModel(name, creationTimestamp, now, description, tags, newAliases, trafficPolicy);
    }

    public RegisteredModel withTrafficPolicy(TrafficPolicy policy, long now) {
        return new RegisteredModel(name, creationTimestamp, now, description, tags, aliases, policy);
    }

    public RegisteredModel withName(String newName, long now) {
        return new RegisteredModel(newName, creationTimestamp, now, description, tags, aliases, trafficPolicy);
    }
}
