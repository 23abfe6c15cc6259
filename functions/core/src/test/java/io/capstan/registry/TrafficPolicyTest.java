package io.capstan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficPolicyTest {

    private static final TrafficPolicy CANARY = new TrafficPolicy(List.of(
            new TrafficPolicy.Split("champion", 90), new TrafficPolicy.Split("challenger", 10)));

    @Test
    void route_tenThousandRoutingKeys_splitWithinTwoPointsOfThePolicy() {
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 10_000; i++) {
            counts.merge(CANARY.route(Optional.of("customer-" + i), new SplittableRandom(i)), 1, Integer::sum);
        }

        assertThat(counts.get("challenger") / 100.0).isBetween(8.0, 12.0);
        assertThat(counts.get("champion") / 100.0).isBetween(88.0, 92.0);
    }

    @Test
    void route_sameKey_alwaysSameTarget() {
        for (int i = 0; i < 1_000; i++) {
            String key = "session-" + i;
            String first = CANARY.route(Optional.of(key), new SplittableRandom(1));

            for (int repeat = 0; repeat < 5; repeat++) {
                assertThat(CANARY.route(Optional.of(key), new SplittableRandom(repeat * 31L + 7))).isEqualTo(first);
            }
        }
    }

    @Test
    void route_withoutKey_isRandomInProportion() {
        SplittableRandom random = new SplittableRandom(42);
        int challenger = 0;

        for (int i = 0; i < 10_000; i++) {
            if (CANARY.route(Optional.empty(), random).equals("challenger")) {
                challenger++;
            }
        }

        assertThat(challenger / 100.0).isBetween(8.0, 12.0);
    }

    @Test
    void route_zeroWeight_neverChosen() {
        TrafficPolicy policy = new TrafficPolicy(List.of(new TrafficPolicy.Split("champion", 100),
                new TrafficPolicy.Split("v3", 0)));

        for (int i = 0; i < 1_000; i++) {
            assertThat(policy.route(Optional.of("k" + i), new SplittableRandom(i))).isEqualTo("champion");
        }
    }

    @Test
    void constructor_badPolicies_areRefusedWithTheReason() {
        assertThatThrownBy(() -> new TrafficPolicy(List.of())).hasMessageContaining("between 1 and 10");
        assertThatThrownBy(() -> new TrafficPolicy(List.of(new TrafficPolicy.Split("champion", 0))))
                .hasMessageContaining("all 0");
        assertThatThrownBy(() -> new TrafficPolicy(List.of(new TrafficPolicy.Split("a", 1),
                new TrafficPolicy.Split("a", 2)))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new TrafficPolicy.Split("champion", -1)).hasMessageContaining("between 0 and 10000");
        assertThatThrownBy(() -> new TrafficPolicy.Split("no spaces", 1)).hasMessageContaining("neither an alias");
    }
}
