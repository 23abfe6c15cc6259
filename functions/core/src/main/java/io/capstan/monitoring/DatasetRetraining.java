package io.capstan.monitoring;

import io.capstan.pipeline.DatasetUploads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Retraining on the model's newest dataset under {@code datasets/<model>/} of the dataset bucket (the newest object,
 * the last name among equals), at most once per cool-down: drift checks and quality checks take the same claim
 * ({@link DriftStore#claimRetraining}), so a model that both drifts and degrades is retrained once.
 */
public final class DatasetRetraining {
    private static final System.Logger LOG = System.getLogger(DatasetRetraining.class.getName());

    /** Finds the newest object of a bucket's prefix whose key the predicate accepts (its key), as S3 lists them. */
    @FunctionalInterface
    public interface Datasets {
        Optional<String> newest(String bucket, String prefix, Predicate<String> keys);
    }

    /**
     * What a request to retrain came to.
     *
     * @param started whether an execution started
     * @param message what was done, for a report's decision
     */
    public record Outcome(boolean started, String message) {
    }

    private final String datasetBucket;
    private final Datasets datasets;
    private final DriftStore claims;
    private final RetrainingStarter starter;
    private final Clock clock;

    public DatasetRetraining(String datasetBucket, Datasets datasets, DriftStore claims, RetrainingStarter starter,
                             Clock clock) {
        this.datasetBucket = Objects.requireNonNull(datasetBucket, "datasetBucket");
        this.datasets = Objects.requireNonNull(datasets, "datasets");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts retraining on the model's newest dataset unless one started within {@code cooldown}. */
    public Outcome retrain(String model, String reason, Duration cooldown) {
        String prefix = DatasetUploads.prefixOf(model);
        Optional<String> dataset = datasets.newest(datasetBucket, prefix, DatasetUploads::isDataset);
        if (dataset.isEmpty()) {
            return new Outcome(false, "no dataset under s3://" + datasetBucket + "/" + prefix + " to retrain on");
        }
        Optional<Long> last = claims.claimRetraining(model, clock.millis(), cooldown.toMillis());
        if (last.isPresent()) {
            return new Outcome(false, "cool-down: a retraining started at " + Instant.ofEpochMilli(last.get())
                    + ", the next may start after " + Instant.ofEpochMilli(last.get()).plus(cooldown));
        }
        String location = "s3://" + datasetBucket + "/" + dataset.get();
        try {
            String execution = starter.start(model, datasetBucket, dataset.get(), reason);
            return new Outcome(true, "retraining started: execution " + execution + " on " + location);
        } catch (RuntimeException e) {
            // the check's report is stored all the same, with the failure as its decision
            LOG.log(System.Logger.Level.ERROR, "starting retraining of " + model + " failed", e);
            return new Outcome(false, "starting retraining on " + location + " failed: " + e.getMessage());
        }
    }
}
