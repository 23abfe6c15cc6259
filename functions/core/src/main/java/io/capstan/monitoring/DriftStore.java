package io.capstan.monitoring;

import java.util.List;
import java.util.Optional;

/** Where drift check summaries and drift-triggered retraining decisions are kept. Safe for concurrent use. */
public interface DriftStore {

    void put(DriftSummary summary);

    /** The model's summaries, newest first, at most {@code limit}. */
    List<DriftSummary> summaries(String modelName, int limit);

    Optional<DriftSummary> summary(String modelName, String reportId);

    /**
     * Claims the right to start a drift-triggered retraining of the model now: granted when none was started in the
     * last {@code cooldownMillis}, so a drifting model is not retrained in a storm.
     *
     * @return empty when granted (and recorded); otherwise when the last one started, epoch milliseconds
     */
    Optional<Long> claimRetraining(String modelName, long now, long cooldownMillis);
}
