package io.capstan.quality.serving;

import java.util.Map;
import java.util.Optional;

/**
 * What quality checks read of the registry and may change in it: a model's tags (its {@link
 * io.capstan.quality.QualityPolicy}), the versions its {@code champion} and {@code challenger} aliases name, and the
 * two actions a decided A/B test can take. {@link #none()} for a platform without a registry (tests).
 */
public interface ServingControl {

    /**
     * What a check reads of a registered model, in one read: its tags and the versions its aliases name.
     *
     * @param tags    the model's tags; empty when it is not registered
     * @param aliases version by alias
     */
    record Served(Map<String, String> tags, Map<String, Long> aliases) {
        public static final Served NONE = new Served(Map.of(), Map.of());

        public Served {
            tags = Map.copyOf(tags);
            aliases = Map.copyOf(aliases);
        }

        /** The version an alias names, when it is set. */
        public Optional<String> aliasVersion(String alias) {
            return Optional.ofNullable(aliases.get(alias)).map(String::valueOf);
        }
    }

    /** The registered model's tags and aliases; {@link Served#NONE} when it is not registered. */
    Served served(String model);

    /**
     * Makes {@code challenger} the champion if the champion is still {@code champion}, and ends the traffic split.
     *
     * @return what was done, for the report's decision
     */
    String promote(String model, String champion, String challenger, String reason);

    /** Ends the traffic split: the champion serves alone. */
    String endCanary(String model, String reason);

    /** No registry: no tags, no aliases, and no action is ever asked of it. */
    static ServingControl none() {
        return new ServingControl() {
            @Override
            public Served served(String model) {
                return Served.NONE;
            }

            @Override
            public String promote(String model, String champion, String challenger, String reason) {
                throw new IllegalStateException("no registry to promote in");
            }

            @Override
            public String endCanary(String model, String reason) {
                throw new IllegalStateException("no registry to end a canary in");
            }
        };
    }
}
