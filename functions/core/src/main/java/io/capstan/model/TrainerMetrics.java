package io.capstan.model;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The metric lines the trainer prints on stdout and the SageMaker {@code MetricDefinitions} that read them, for a
 * stack that creates training jobs. Each epoch (or checkpoint) prints one line such as
 * {@code epoch=3/20 train:log_loss=0.123400 train:accuracy=0.956000 validation:accuracy=0.956100
 * validation:log_loss=0.120000}; the end of training prints one {@code name=value} line per final metric.
 * Values are printed with six decimals ({@code %.6f}). SageMaker keeps every match of a regex as a time series, so
 * the final value of a metric is its last match.
 */
public final class TrainerMetrics {

    /**
     * One SageMaker metric definition.
     *
     * @param name  the metric name as SageMaker shows it
     * @param regex a regex over the job's log whose first group is the value
     */
    public record MetricDefinition(String name, String regex) {
        public MetricDefinition {
            Objects.requireNonNull(name, "name");
            Pattern.compile(Objects.requireNonNull(regex, "regex"));
        }
    }

    /** Training-set log loss; per epoch, then final. */
    public static final String TRAIN_LOG_LOSS = "train:log_loss";
    /** Training-set accuracy; per epoch, then final. */
    public static final String TRAIN_ACCURACY = "train:accuracy";
    /** Validation accuracy; per epoch, then final. */
    public static final String VALIDATION_ACCURACY = "validation:accuracy";
    /** Validation log loss; per epoch, then final. */
    public static final String VALIDATION_LOG_LOSS = "validation:log_loss";
    /** Validation macro-averaged F1; final only. */
    public static final String VALIDATION_MACRO_F1 = "validation:macro_f1";
    /** The epoch a line belongs to; per epoch only. */
    public static final String EPOCH = "epoch";

    /** Every metric the trainer prints, in the form a {@code CfnTrainingJob}/{@code CreateTrainingJob} takes. */
    public static final List<MetricDefinition> METRIC_DEFINITIONS = List.of(
            definition(TRAIN_LOG_LOSS),
            definition(TRAIN_ACCURACY),
            definition(VALIDATION_ACCURACY),
            definition(VALIDATION_LOG_LOSS),
            definition(VALIDATION_MACRO_F1),
            new MetricDefinition(EPOCH, "epoch=([0-9]+)/[0-9]+"));

    private TrainerMetrics() {
    }

    private static MetricDefinition definition(String name) {
        return new MetricDefinition(name, name + "=([0-9.]+)");
    }
}
