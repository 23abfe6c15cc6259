package io.capstan.quality.serving;

import io.capstan.monitoring.DriftStore;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.pipeline.DatasetUploads;
import io.capstan.quality.storage.QualityStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link Retraining} on the model's newest dataset under {@code datasets/<model>/} of the dataset bucket (the newest
 * object, as drift-triggered retraining picks it), at most once per cool-down: the claim is the one drift-triggered
 * retraining takes ({@link DriftStore#claimRetraining}), so a model that both drifts and degrades is retrained once.
 */
public final class DatasetRetraining implements Retraining {
    /** The trigger recorded with the execution and its run. */
    public static final String TRIGGER = "quality";

    private static final System.Logger LOG = System.getLogger(DatasetRetraining.class.getName());

    private final QualityStorage storage;
    private final String datasetBucket;
    private final DriftStore claims;
    private final RetrainingStarter starter;
    private final Clock clock;

    public DatasetRetraining(QualityStorage storage, String datasetBucket, DriftStore claims, RetrainingStarter starter,
                             Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.datasetBucket = Objects.requireNonNull(datasetBucket, "datasetBucket");
        this.claims = Objects.requireNonNull(claims, "claims");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String retrain(String model, String reason, Duration cooldown) {
        String prefix = DatasetUploads.prefixOf(model);
        Optional<String> dataset = storage.newest(datasetBucket, prefix, DatasetUploads::isDataset);
        if (dataset.isEmpty()) {
            return "no dataset under s3://" + datasetBucket + "/" + prefix + " to retrain on";
        }
        Optional<Long> last = claims.claimRetraining(model, clock.millis(), cooldown.toMillis());
        if (last.isPresent()) {
            return "cool-down: a retraining started at " + Instant.ofEpochMilli(last.get()) + ", the next may start"
                    + " after " + Instant.ofEpochMilli(last.get()).plus(cooldown);
        }
        try {
            String execution = starter.start(model, datasetBucket, dataset.get(), reason);
            return "retraining started: execution " + execution + " on s3://" + datasetBucket + "/" + dataset.get();
        } catch (RuntimeException e) {
            // the check's report is stored all the same, with the failure as its decision (as a drift check's)
            LOG.log(System.Logger.Level.ERROR, "starting retraining of " + model + " failed", e);
            return "starting retraining on s3://" + datasetBucket + "/" + dataset.get() + " failed: " + e.getMessage();
        }
    }
}
