package io.capstan.registry;

import io.capstan.error.CapstanException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * How a registered model's predictions are split between its aliases or versions, e.g. champion 90 /
 * challenger 10. A request with a routing key always reaches the same target for the same policy (the key is
 * hashed onto the weights); a request without one is routed at random.
 *
 * @param splits the targets and their weights, in the order given; weights are relative (they need not sum to 100)
 */
public record TrafficPolicy(List<Split> splits) {

    /** At most this many targets in one policy. */
    public static final int MAX_SPLITS = 10;

    public TrafficPolicy {
        splits = List.copyOf(splits);
        if (splits.isEmpty() || splits.size() > MAX_SPLITS) {
            throw CapstanException.invalidParameter("A traffic policy needs between 1 and " + MAX_SPLITS
                    + " routes; got " + splits.size() + ".");
        }
        Set<String> targets = new HashSet<>();
        for (Split split : splits) {
            if (!targets.add(split.target())) {
                throw CapstanException.invalidParameter("The traffic policy routes to '" + split.target()
                        + "' twice; give each target one weight.");
            }
        }
        if (totalWeight(splits) == 0) {
            throw CapstanException.invalidParameter("The traffic policy's weights are all 0; give at least one route"
                    + " a positive weight.");
        }
    }

    /** The target for a request: by its routing key when it has one, otherwise at random. */
    public String route(Optional<String> routingKey, RandomGenerator random) {
        long total = totalWeight(splits);
        long point = routingKey.map(key -> Long.remainderUnsigned(hash(key), total))
                .orElseGet(() -> random.nextLong(total));
        for (Split split : splits) {
            point -= split.weight();
            if (point < 0) {
                return split.target();
            }
        }
        throw new IllegalStateException("weights changed while routing");
    }

    /** Every target the policy can route to. */
    public List<String> targets() {
        return splits.stream().map(Split::target).toList();
    }

    @Override
    public String toString() {
        return splits.stream().map(s -> s.target() + " " + s.weight()).collect(Collectors.joining(" / "));
    }

    private static long totalWeight(List<Split> splits) {
        return splits.stream().mapToLong(Split::weight).sum();
    }

    /** The first eight bytes of the key's SHA-256: stable across processes and releases, evenly spread. */
    private static long hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * One route of a policy.
     *
     * @param target an alias ({@code challenger}) or a version as {@code v<N>} ({@code v3})
     * @param weight relative share, 0 to 10,000
     */
    public record Split(String target, int weight) {
        public Split {
            Objects.requireNonNull(target, "target");
            ModelSelector.parseTarget(target);
            if (weight < 0 || weight > 10_000) {
                throw CapstanException.invalidParameter("The weight of route '" + target + "' must be between 0 and"
                        + " 10000; got " + weight + ".");
            }
        }
    }
}
