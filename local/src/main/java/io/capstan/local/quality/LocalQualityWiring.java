package io.capstan.local.quality;

import io.capstan.http.RouteTable;
import io.capstan.local.LocalEngines;
import io.capstan.local.internal.LocalSchedule;
import io.capstan.local.pipeline.LocalPipelineEngine;
import io.capstan.monitoring.DatasetRetraining;
import io.capstan.monitoring.QualityMetrics;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.QualityReport;
import io.capstan.quality.QualitySchedule;
import io.capstan.quality.function.QualityFunction;
import io.capstan.quality.serving.RegistryServingControl;
import io.capstan.quality.serving.Retraining;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryStore;
import io.capstan.storage.BucketDefinition;
import io.capstan.store.dynamodb.DynamoDbDriftStore;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Model quality on the embedded platform: the quality function on the capture bucket, and its schedule, which checks
 * every model with prediction records over the last 24 hours ({@value #SCHEDULE_PROPERTY} seconds apart, hourly by
 * default, as the CDK app's default rule). Metrics go to the log, as CloudWatch would receive them, and the quality
 * alarms {@link LocalQualityAlarms} defines log their changes of state.
 *
 * @param monitor  runs checks
 * @param function the quality API
 * @param alarms   the quality alarms ({@value LocalQualityAlarms#PROPERTY})
 */
public record LocalQualityWiring(QualityMonitor monitor, QualityFunction function, LocalQualityAlarms alarms,
                                 ScheduledExecutorService scheduler, Consumer<String> log) implements AutoCloseable {
    /** {@code capstan.quality.scheduleSeconds}: seconds between scheduled checks (default 3600). */
    public static final String SCHEDULE_PROPERTY = "capstan.quality.scheduleSeconds";
    public static final long DEFAULT_SCHEDULE_SECONDS = 3600;

    /** Assembles the quality function and starts the schedule. */
    public static LocalQualityWiring create(LocalEngines engines, Optional<LocalPipelineEngine> pipeline,
                                            Consumer<String> log, Clock clock) {
        S3QualityStorage storage = new S3QualityStorage(engines.s3Client(),
                engines.bucketName(BucketDefinition.CAPTURE));
        LocalQualityAlarms alarms = new LocalQualityAlarms(measured -> log.accept(String.format(Locale.ROOT,
                "metric %s %s=%s %s=%.6f %s=%.4f %s=%d", QualityMetrics.NAMESPACE, QualityMetrics.MODEL_DIMENSION,
                measured.model(), measured.metric(), measured.value(), QualityMetrics.LABEL_COVERAGE,
                measured.labelCoverage(), QualityMetrics.LABELLED, measured.labelled())),
                System.getProperty(LocalQualityAlarms.PROPERTY, ""), log);
        RegistryStore registry = new DynamoDbRegistryStore(engines.dynamoDbClient(), engines.tableName());
        Retraining retraining = pipeline.map(engine -> Retraining.on(new DatasetRetraining(
                engines.bucketName(BucketDefinition.DATASETS), storage::newest, new DynamoDbDriftStore(
                engines.dynamoDbClient(), engines.tableName()), RetrainingStarter.of(Retraining.TRIGGER,
                (model, name, input) -> engine.start(model, name, input, Retraining.TRIGGER)), clock)))
                .orElse(Retraining.none());
        QualityMonitor monitor = new QualityMonitor(storage, alarms, new RegistryServingControl(registry,
                new PromotionService(registry, clock)), retraining, clock);
        ScheduledExecutorService scheduler = LocalSchedule.executor("capstan-quality-schedule");
        LocalQualityWiring wiring = new LocalQualityWiring(monitor, new QualityFunction(monitor, storage,
                Optional.of(engines.bucketName(BucketDefinition.DATASETS)), clock, RouteTable.capstan()), alarms,
                scheduler, log);
        LocalSchedule.every(scheduler, SCHEDULE_PROPERTY, DEFAULT_SCHEDULE_SECONDS, wiring::runSchedule, log,
                "Quality checks of every model with prediction records");
        return wiring;
    }

    /** One run of the schedule: every model with prediction records, as the AWS rule's {@code "model": "*"}. */
    public List<QualityReport> runSchedule() {
        try {
            List<QualityReport> reports = new QualitySchedule(QualitySchedule.ALL_MODELS,
                    QualitySchedule.DEFAULT_WINDOW).run(monitor);
            reports.forEach(report -> log.accept("Quality check of " + report.model() + ": report "
                    + report.reportId() + ", " + report.versions().size() + " versions, " + report.decision()));
            return reports;
        } catch (RuntimeException e) {
            log.accept("Scheduled quality checks failed: " + e);
            return List.of();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
