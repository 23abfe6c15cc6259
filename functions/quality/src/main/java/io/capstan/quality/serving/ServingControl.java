package io.capstan.quality.serving;

import java.util.Map;
import java.util.Optional;

/**
 * What quality checks read of the registry and may change in it: a model's tags (its {@link
 * io.capstan.quality.QualityPolicy}), the versions its {@code champion} and {@code challenger} aliases name, and the
 * two actions a decided A/B test can take. {@link #none()} for a platform without a registry (tests).
 */
public interface ServingControl {

    /** The registered model's tags; empty when it is not registered. */
    Map<String, String> tags(String model);

    /** The version an alias names, when it is set. */
    Optional<String> aliasVersion(String model, String alias);

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
            public Map<String, String> tags(String model) {
                return Map.of();
            }

            @Override
            public Optional<String> aliasVersion(String model, String alias) {
                return Optional.empty();
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
