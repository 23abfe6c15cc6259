package io.capstan.store.dynamodb;

import java.time.Duration;

/**
 * The clocks of indexing a param's, tag's or the run name's values once a search asks for them
 * (docs/STORAGE.md, "Searched keys"): how long a process keeps its copy of an experiment's searched keys
 * ({@code refresh}), how long after reading them a write may commit ({@code commitWindow}), and how long after a search
 * asked for a key the runs written before are indexed ({@code grace}).
 */
public record SearchedKeyTiming(Duration refresh, Duration commitWindow, Duration grace) {
    /** 10 s, 30 s, 90 s: a minute of margin for clock skew between processes and a write's round trip. */
    public static final SearchedKeyTiming DEFAULT = new SearchedKeyTiming(Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(90));

    public SearchedKeyTiming {
        if (refresh.compareTo(commitWindow) >= 0 || commitWindow.compareTo(grace) >= 0) {
            throw new IllegalArgumentException("refresh < commitWindow < grace must hold, got " + refresh + ", "
                    + commitWindow + ", " + grace);
        }
    }
}
