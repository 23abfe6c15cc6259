package io.capstan.quality.engine;

import io.capstan.quality.storage.QualityStorage;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the engine by the window's size: DuckDB in process while the window's prediction records and feedback
 * (gzipped, as stored; the function downloads both) are at most {@code embeddedUpToBytes}, Athena above that when it is configured (in AWS; the embedded
 * platform has only DuckDB). docs/QUALITY.md gives the measurements behind the default.
 */
public final class JoinEngineChoice implements JoinEngine {
    private final QualityStorage storage;
    private final JoinEngine embedded;
    private final Optional<JoinEngine> large;
    private final long embeddedUpToBytes;

    public JoinEngineChoice(QualityStorage storage, JoinEngine embedded, Optional<JoinEngine> large,
                            long embeddedUpToBytes) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.embedded = Objects.requireNonNull(embedded, "embedded");
        this.large = Objects.requireNonNull(large, "large");
        if (embeddedUpToBytes < 0) {
            throw new IllegalArgumentException("the embedded engine's limit must be 0 or more bytes, got "
                    + embeddedUpToBytes);
        }
        this.embeddedUpToBytes = embeddedUpToBytes;
    }

    @Override
    public Joined join(JoinWindow window) {
        return engineFor(window).join(window);
    }

    /** The engine a window goes to. */
    JoinEngine engineFor(JoinWindow window) {
        if (large.isEmpty()) {
            return embedded;
        }
        // both are downloaded to the function's /tmp
        long bytes = WindowObjects.bytes(WindowObjects.predictions(storage, window))
                + WindowObjects.bytes(WindowObjects.feedback(storage, window));
        return bytes > embeddedUpToBytes ? large.get() : embedded;
    }
}
