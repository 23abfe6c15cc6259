package io.capstan.drift.monitoring;

import io.capstan.drift.DriftReport;
import io.capstan.monitoring.DriftSummary;

/** What a drift check came to. */
public sealed interface DriftCheckOutcome permits DriftCheckOutcome.Checked, DriftCheckOutcome.Skipped,
        DriftCheckOutcome.Started {

    String modelName();

    /** The check ran: its report was written and its summary recorded. */
    record Checked(DriftSummary summary, DriftReport report) implements DriftCheckOutcome {
        @Override
        public String modelName() {
            return summary.modelName();
        }
    }

    /**
     * The check of a dataset too large for one function started on the profile state machine; its report appears
     * under {@code reportId} when the chunks are profiled and merged.
     *
     * @param chunks the chunks to profile
     */
    record Started(String modelName, String reportId, int chunks) implements DriftCheckOutcome {
    }

    /** The check could not run, and why (no champion, no reference profile, too little traffic). */
    record Skipped(String modelName, String reason) implements DriftCheckOutcome {
    }
}
