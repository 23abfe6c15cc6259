package io.capstan.quality.engine;

import io.capstan.quality.storage.QualityStorage;
import io.capstan.quality.storage.StoredObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the engine by the window's size: DuckDB in process while the window's prediction records and feedback
 * (gzipped, as stored; the function downloads both) are at most {@code embeddedUpToBytes}, Athena above that when it
 * is configured (in AWS; the embedded platform has only DuckDB). docs/QUALITY.md gives the measurements behind the default.
 */
public final class JoinEngineChoice implements JoinEngine {
    private final QualityStorage storage;
    private final DuckDbJoin embedded;
    private final Optional<JoinEngine> large;
    private final long embeddedUpToBytes;

    public JoinEngineChoice(QualityStorage storage, DuckDbJoin embedded, Optional<JoinEngine> large,
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
        if (large.isEmpty()) {
            return embedded.join(window);
        }
        // listed once: sized here, downloaded by DuckDB when it is the one (both go to the function's /tmp)
        List<StoredObject> predictions = WindowObjects.predictions(storage, window);
        List<StoredObject> feedback = WindowObjects.feedback(storage, window);
        long bytes = WindowObjects.bytes(predictions) + WindowObjects.bytes(feedback);
        return engineFor(bytes) == embedded ? embedded.join(window, predictions, feedback) : large.get().join(window);
    }

    /** The engine a window of {@code bytes} (its records and feedback, gzipped) goes to. */
    JoinEngine engineFor(long bytes) {
        return large.isPresent() && bytes > embeddedUpToBytes ? large.get() : embedded;
    }
}
