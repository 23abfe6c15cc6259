package io.capstan.infra.monitoring;

import io.capstan.infra.encryption.EncryptedTopic;
import io.capstan.infra.encryption.StackKey;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.QualityMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * Capstan's monitoring (stateless): the alarm topic; alarms on the APIs' 5xx answers and on the predict function's
 * errors, throttles and p99 duration; the EventBridge schedules of the drift checks; and alarms on the drift metric the checks publish
 * ({@value DriftMetrics#NAMESPACE} / {@value DriftMetrics#DATASET_DRIFT}), one per scheduled model plus one over all
 * models; the quality checks' schedules and an alarm per model given a threshold ({@value QualityMetrics#NAMESPACE}).
 * Alarms treat missing data as "no news" (an idle predict function is not broken), so nothing alarms while
 * nobody uses Capstan.
 */
public final class MonitoringStack extends Stack {

    /** Any unhandled error of the predict function in five minutes. */
    public static final double PREDICT_ERRORS_THRESHOLD = 1;
    /** Any throttled predict request in five minutes (the account's concurrency is exhausted). */
    public static final double PREDICT_THROTTLES_THRESHOLD = 1;
    /** p99 predict duration, milliseconds, three five-minute periods in a row. */
    public static final double PREDICT_P99_DURATION_MS = 1000;
    public static final int PREDICT_P99_PERIODS = 3;
    /** One period of the predict alarms. */
    public static final Duration PREDICT_PERIOD = Duration.minutes(5);
    /** 5xx answers of an API in five minutes: a function failing for everyone, not one unlucky request. */
    public static final double API_5XX_THRESHOLD = 5;
    /** The drift alarms' period: the hour the default schedule checks in. */
    public static final Duration DRIFT_PERIOD = Duration.hours(1);

    private final StackKey key;
    private final EncryptedTopic alarms;
    private final Alarm predictErrors;
    private final Alarm predictThrottles;
    private final Alarm predictP99Duration;
    private final Map<String, Alarm> api5xx = new LinkedHashMap<>();
    private final Map<String, Rule> driftRules = new LinkedHashMap<>();
    private final Map<String, Alarm> driftAlarms = new LinkedHashMap<>();
    private final Alarm allModelsDrift;
    private final Map<String, Rule> qualityRules = new LinkedHashMap<>();
    private final Map<String, Alarm> qualityAlarms = new LinkedHashMap<>();

    public MonitoringStack(Construct scope, String id, MonitoringStackProps props) {
        super(scope, id, StackProps.builder()
                .description("Capstan monitoring (stateless): alarm topic, predict alarms, drift schedules and alarms")
                .build());
        this.key = new StackKey(this, "MonitoringKey", "Capstan monitoring: the alarm topic");
        // CloudWatch alarms publish as the CloudWatch service, which must be able to encrypt for the topic
        key.allowServiceToSendEncrypted("cloudwatch.amazonaws.com");
        this.alarms = new EncryptedTopic(this, "Alarms", "Capstan alarms", key);
        // ... and may publish to it, for this account's alarms only
        alarms.allowServiceToPublish("cloudwatch.amazonaws.com",
                "arn:" + Aws.PARTITION + ":cloudwatch:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":alarm:*");

        CapstanFunction predict = props.predict();
        this.predictErrors = alarm("PredictErrors", "Capstan predict: unhandled function errors",
                predict.function().metricErrors(sum(PREDICT_PERIOD)), PREDICT_ERRORS_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING);
        this.predictThrottles = alarm("PredictThrottles", "Capstan predict: requests throttled (concurrency exhausted)",
                predict.function().metricThrottles(sum(PREDICT_PERIOD)), PREDICT_THROTTLES_THRESHOLD, 1,
                TreatMissingData.NOT_BREACHING);
        this.predictP99Duration = alarm("PredictP99Duration", "Capstan predict: p99 duration at or above "
                        + (long) PREDICT_P99_DURATION_MS + " ms for " + PREDICT_P99_PERIODS + " periods of 5 minutes",
                predict.function().metricDuration(MetricOptions.builder().statistic("p99").period(PREDICT_PERIOD)
                        .build()), PREDICT_P99_DURATION_MS, PREDICT_P99_PERIODS, TreatMissingData.NOT_BREACHING);

        props.apis().forEach((name, api) -> api5xx.put(name, alarm(name + "ServerErrors", "Capstan " + name
                        + ": at least " + (long) API_5XX_THRESHOLD + " answers with status 5xx in 5 minutes",
                api.metricServerError(sum(PREDICT_PERIOD)), API_5XX_THRESHOLD, 1, TreatMissingData.NOT_BREACHING)));

        for (DriftSchedule schedule : props.driftSchedules()) {
            driftRules.put(schedule.model(), Rule.Builder.create(this, "DriftSchedule" + schedule.constructId())
                    .description("Capstan drift check of " + (schedule.allModels() ? "every model with a champion"
                            : "model " + schedule.model()) + ", " + schedule.expression())
                    .schedule(Schedule.expression(schedule.expression()))
                    .targets(List.of(new LambdaFunction(props.drift().alias(), LambdaFunctionProps.builder()
                            .event(RuleTargetInput.fromObject(schedule.input()))
                            .retryAttempts(2)
                            .maxEventAge(Duration.hours(1))
                            .build())))
                    .build());
            if (!schedule.allModels()) {
                driftAlarms.put(schedule.model(), alarm("Drift" + schedule.constructId(),
                        "Capstan drift: the latest check of model " + schedule.model() + " found dataset drift",
                        driftMetric(Map.of(DriftMetrics.MODEL_DIMENSION, schedule.model())), 1, 1,
                        TreatMissingData.IGNORE));
            }
        }
        for (QualitySchedule schedule : props.qualitySchedules()) {
            qualityRules.put(schedule.model(), Rule.Builder.create(this, "QualitySchedule" + schedule.constructId())
                    .description("Capstan quality check of " + (schedule.model().equals(DriftSchedule.ALL_MODELS)
                            ? "every model with prediction records" : "model " + schedule.model()) + ", "
                            + schedule.expression())
                    .schedule(Schedule.expression(schedule.expression()))
                    .targets(List.of(new LambdaFunction(props.quality().alias(), LambdaFunctionProps.builder()
                            .event(RuleTargetInput.fromObject(schedule.input()))
                            .retryAttempts(2)
                            .maxEventAge(Duration.hours(1))
                            .build())))
                    .build());
            schedule.minAccuracy().ifPresent(min -> qualityAlarms.put(schedule.model(), alarm(
                    "Quality" + schedule.constructId(), "Capstan quality: the accuracy of model " + schedule.model()
                            + " over its window fell below " + min,
                    qualityMetric(schedule.model(), QualityMetrics.ACCURACY, "Minimum"), min,
                    ComparisonOperator.LESS_THAN_THRESHOLD)));
            schedule.maxMeanAbsoluteError().ifPresent(max -> qualityAlarms.put(schedule.model(), alarm(
                    "Quality" + schedule.constructId(), "Capstan quality: the mean absolute error of model "
                            + schedule.model() + " over its window rose above " + max,
                    qualityMetric(schedule.model(), QualityMetrics.MEAN_ABSOLUTE_ERROR, "Maximum"), max,
                    ComparisonOperator.GREATER_THAN_THRESHOLD)));
        }
        this.allModelsDrift = alarm("DriftAnyModel", "Capstan drift: a check of some model found dataset drift",
                driftMetric(Map.of(DriftMetrics.SERVICE_DIMENSION, DriftMetrics.SERVICE)), 1, 1,
                TreatMissingData.IGNORE);

        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .description("SNS topic of Capstan's alarms: subscribe to be told of predict errors and drift")
                .value(alarms.topic().getTopicArn())
                .build();
    }

    public ITopic alarmTopic() {
        return alarms.topic();
    }

    public Alarm predictErrors() {
        return predictErrors;
    }

    public Alarm predictThrottles() {
        return predictThrottles;
    }

    public Alarm predictP99Duration() {
        return predictP99Duration;
    }

    /** The 5xx alarms by API name. */
    public Map<String, Alarm> apiServerErrors() {
        return Map.copyOf(api5xx);
    }

    /** The schedule rules by model ({@code *} for all models). */
    public Map<String, Rule> driftRules() {
        return Map.copyOf(driftRules);
    }

    /** The drift alarms of the models scheduled by name. */
    public Map<String, Alarm> driftAlarms() {
        return Map.copyOf(driftAlarms);
    }

    /** The drift alarm over all models. */
    public Alarm allModelsDrift() {
        return allModelsDrift;
    }

    /** The quality schedule rules by model ({@code *} for all models with prediction records). */
    public Map<String, Rule> qualityRules() {
        return Map.copyOf(qualityRules);
    }

    /** The quality alarms of the models scheduled with a threshold. */
    public Map<String, Alarm> qualityAlarms() {
        return Map.copyOf(qualityAlarms);
    }

    public StackKey key() {
        return key;
    }

    /**
     * {@value DriftMetrics#DATASET_DRIFT} (1 when a check found dataset drift, else 0) with {@code dimensions},
     * its maximum over an hour. Missing data keeps the alarm as it is: a drifting model stays in alarm until a check
     * finds it no longer drifts, however far apart its checks are.
     */
    private static Metric driftMetric(Map<String, String> dimensions) {
        return Metric.Builder.create()
                .namespace(DriftMetrics.NAMESPACE)
                .metricName(DriftMetrics.DATASET_DRIFT)
                .dimensionsMap(dimensions)
                .statistic("Maximum")
                .period(DRIFT_PERIOD)
                .build();
    }

    /**
     * A quality check's figure of {@code model} over its window, its minimum or maximum over the drift alarms' hour.
     * Missing data (no check, or no labels) keeps the alarm as it is.
     */
    private static Metric qualityMetric(String model, String name, String statistic) {
        return Metric.Builder.create()
                .namespace(QualityMetrics.NAMESPACE)
                .metricName(name)
                .dimensionsMap(Map.of(QualityMetrics.MODEL_DIMENSION, model))
                .statistic(statistic)
                .period(DRIFT_PERIOD)
                .build();
    }

    /** An alarm on one breaching period of {@code metric} against {@code threshold}, missing data ignored. */
    private Alarm alarm(String id, String description, IMetric metric, double threshold,
                        ComparisonOperator comparison) {
        return alarm(id, description, metric, threshold, 1, comparison, TreatMissingData.IGNORE);
    }

    private static MetricOptions sum(Duration period) {
        return MetricOptions.builder().statistic("Sum").period(period).build();
    }

    /** An alarm on {@code metric} at or above {@code threshold} that tells the alarm topic when it fires and clears. */
    private Alarm alarm(String id, String description, IMetric metric, double threshold, int periods,
                        TreatMissingData missingData) {
        return alarm(id, description, metric, threshold, periods,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, missingData);
    }

    private Alarm alarm(String id, String description, IMetric metric, double threshold, int periods,
                        ComparisonOperator comparison, TreatMissingData missingData) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .datapointsToAlarm(periods)
                .comparisonOperator(comparison)
                .treatMissingData(missingData)
                .build();
        SnsAction action = new SnsAction(alarms.topic());
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
        return alarm;
    }
}
