package io.capstan.pipeline.tasks;

import io.capstan.error.CapstanException;
import java.util.Locale;
import java.util.Optional;

/**
 * When a newly trained version may replace the champion: its metric on the holdout must reach the threshold (at
 * least, or at most for log loss) and be better than the champion's on the same rows by at least the margin —
 * or there is no champion yet.
 *
 * @param metric    {@code accuracy}, {@code macro_f1} or {@code log_loss}
 * @param threshold the bound the candidate must meet
 * @param margin    how much better than the champion it must be (0: at least as good)
 */
public record GatePolicy(String metric, double threshold, double margin) {

    public GatePolicy {
        if (!ClassificationScores.METRICS.contains(metric)) {
            throw CapstanException.invalidParameter("Unknown gate metric '" + metric + "'; one of "
                    + ClassificationScores.METRICS);
        }
        if (margin < 0 || Double.isNaN(margin)) {
            throw CapstanException.invalidParameter("gate.margin must be 0 or more, got " + margin);
        }
    }

    static GatePolicy of(PipelineSettings settings) {
        return new GatePolicy(settings.text("gate.metric"), settings.number("gate.threshold"),
                settings.number("gate.margin"));
    }

    /**
     * The decision for a candidate, given the champion's score on the same rows when there is a champion.
     *
     * @param rows what the scores were measured on, for the reason ("holdout", "reference rows")
     */
    public Decision decide(ClassificationScores candidate, Optional<ChampionScore> champion, String rows) {
        boolean higher = ClassificationScores.higherIsBetter(metric);
        double value = candidate.metric(metric);
        boolean meets = higher ? value >= threshold : value <= threshold;
        String bound = String.format(Locale.ROOT, "%s %.4f %s threshold %.4f", metric, value, meets
                ? (higher ? ">=" : "<=") : (higher ? "<" : ">"), threshold);
        if (!meets) {
            return new Decision(false, "on the " + rows + " " + bound);
        }
        if (champion.isEmpty()) {
            return new Decision(true, "on the " + rows + " " + bound + "; no champion yet");
        }
        double theirs = champion.get().scores().metric(metric);
        double gain = higher ? value - theirs : theirs - value;
        boolean beats = gain >= margin - 1e-12;
        return new Decision(beats, String.format(Locale.ROOT, "on the %s %s; against champion v%d (%.4f) the %s %s"
                + " by %.4f, margin %.4f", rows, bound, champion.get().version(), theirs, metric, gain >= 0 ? "improves"
                : "worsens", Math.abs(gain), margin) + (beats ? "" : ": not promoted"));
    }

    /**
     * @param version the champion's version number
     * @param scores  its scores on the same holdout
     */
    public record ChampionScore(long version, ClassificationScores scores) {
    }

    /**
     * @param promote whether the candidate may become champion
     * @param reason  the comparison, in words
     */
    public record Decision(boolean promote, String reason) {
    }
}
