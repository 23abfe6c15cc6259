package io.capstan.pipeline.tasks;

import io.capstan.error.CapstanException;
import io.capstan.pipeline.tuning.SearchSpace;
import io.capstan.pipeline.tuning.SearchStrategy;
import io.capstan.pipeline.tuning.TuningSettings;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings of one execution, resolved in order: Capstan's defaults, then the registered model's
 * {@code capstan.pipeline.<key>} tags, then the request. Keys are flat: {@code training.platform},
 * {@code gate.threshold}, {@code hyperparameters.epochs}, {@code validation.holdout_fraction},
 * {@code tuning.strategy}, {@code tuning.space.learning_rate}.
 *
 * @param values every setting, defaults included
 */
public record PipelineSettings(Map<String, String> values) {
    /** Registered-model tags with this prefix set a model's pipeline defaults. */
    public static final String TAG_PREFIX = "capstan.pipeline.";

    static final Map<String, String> DEFAULTS = defaults();
    /** {@code tuning.engine} for SageMaker's own hyperparameter tuning job. */
    public static final String SAGEMAKER_ENGINE = "sagemaker";
    private static final int MAX_GPUS = PipelineServices.MAX_GPUS;
    private static final List<String> SECTIONS = List.of("training.", "gate.", "validation.", "hyperparameters.",
            "tuning.");

    public PipelineSettings {
        values = Map.copyOf(values);
    }

    /** Defaults, overridden by the model's tags, overridden by the request's settings. */
    public static PipelineSettings resolve(Map<String, String> modelTags, Map<String, String> requested) {
        Map<String, String> all = new TreeMap<>(DEFAULTS);
        modelTags.forEach((tag, value) -> {
            if (tag.startsWith(TAG_PREFIX)) {
                all.put(tag.substring(TAG_PREFIX.length()), value);
            }
        });
        all.putAll(requested);
        for (String key : all.keySet()) {
            if (SECTIONS.stream().noneMatch(key::startsWith)) {
                throw CapstanException.invalidParameter("Unknown pipeline setting '" + key + "'; settings start with "
                        + SECTIONS);
            }
            boolean free = key.startsWith("hyperparameters.") || key.startsWith(SearchSpace.PREFIX);
            if (!free && !DEFAULTS.containsKey(key)) {
                throw CapstanException.invalidParameter("Unknown pipeline setting '" + key + "'; known: "
                        + DEFAULTS.keySet());
            }
        }
        return new PipelineSettings(all);
    }

    public String text(String key) {
        return values.getOrDefault(key, "");
    }

    public double number(String key) {
        try {
            return Double.parseDouble(text(key));
        } catch (NumberFormatException e) {
            throw CapstanException.invalidParameter("Pipeline setting '" + key + "' must be a number, got '"
                    + text(key) + "'");
        }
    }

    /**
     * A setting that must be a whole number (written {@code 2}, {@code 2.0} or {@code 2e0}; never {@code 1.7}) in
     * {@code [min, max]}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the setting and its value
     */
    public long wholeNumber(String key, long min, long max) {
        BigDecimal value;
        try {
            value = new BigDecimal(text(key));
        } catch (NumberFormatException e) {
            throw CapstanException.invalidParameter("Pipeline setting '" + key + "' must be a whole number, got '"
                    + text(key) + "'");
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw CapstanException.invalidParameter("Pipeline setting '" + key + "' must be a whole number, got '"
                    + text(key) + "'");
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw CapstanException.invalidParameter(key + " must be between " + min + " and " + max + ", got "
                    + text(key));
        }
        return value.longValueExact();
    }

    /** {@code training.platform} in lower case: {@code sagemaker} or {@code batch}. */
    public String trainingPlatform() {
        String platform = text("training.platform").toLowerCase(Locale.ROOT);
        if (!platform.equals("sagemaker") && !platform.equals("batch")) {
            throw CapstanException.invalidParameter("training.platform must be 'sagemaker' or 'batch', got '"
                    + platform + "'");
        }
        return platform;
    }

    /** {@code training.gpu_count}: GPUs per training job, 0 to 8. */
    public int gpuCount() {
        return (int) wholeNumber("training.gpu_count", 0, MAX_GPUS);
    }

    /** {@code training.instance_type}; on SageMaker an {@code ml.*} type. */
    public String instanceType() {
        String instanceType = text("training.instance_type");
        if (trainingPlatform().equals("sagemaker") && !instanceType.startsWith("ml.")) {
            throw CapstanException.invalidParameter("training.instance_type for SageMaker is an ml.* type (ml.m5.large,"
                    + " ml.g5.xlarge), got '" + instanceType + "'");
        }
        return instanceType;
    }

    /** {@code training.max_runtime_seconds}: how long a training job may run, in seconds, at least 1. */
    public long maxRuntimeSeconds() {
        return wholeNumber("training.max_runtime_seconds", 1, Integer.MAX_VALUE);
    }

    /** {@code validation.minimum_rows}: fewest data rows a dataset may have. */
    public int minimumRows() {
        return (int) wholeNumber("validation.minimum_rows", 0, Integer.MAX_VALUE);
    }

    /**
     * {@code validation.minimum_class_share}: smallest share of rows any class may have, 0 to 0.5 (above a half, no
     * dataset with two classes could pass).
     */
    public double minimumClassShare() {
        double share = number("validation.minimum_class_share");
        if (!(share >= 0 && share <= 0.5)) {
            throw CapstanException.invalidParameter("validation.minimum_class_share must be between 0 and 0.5, got "
                    + text("validation.minimum_class_share"));
        }
        return share;
    }

    /**
     * {@code validation.holdout_fraction}: the share of each class held out for evaluation, above 0 and under 1, so
     * that rows are left on both sides.
     */
    public double holdoutFraction() {
        double fraction = number("validation.holdout_fraction");
        if (!(fraction > 0 && fraction < 1)) {
            throw CapstanException.invalidParameter("validation.holdout_fraction must be above 0 and under 1, got "
                    + text("validation.holdout_fraction"));
        }
        return fraction;
    }

    /** {@code hyperparameters.seed}: the seed of the holdout split and of the trainer. */
    public long seed() {
        return wholeNumber("hyperparameters.seed", Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Reads every setting with a known type, so that a bad one is refused before anything is written.
     *
     * @return these settings
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the first bad setting and its value
     */
    public PipelineSettings validate() {
        trainingPlatform();
        gpuCount();
        instanceType();
        maxRuntimeSeconds();
        minimumRows();
        minimumClassShare();
        holdoutFraction();
        seed();
        GatePolicy.of(this);
        flag("gate.manual_approval");
        tuningEngine();
        tuning();
        return this;
    }

    /**
     * {@code tuning.engine}: {@code capstan} (trials as the state machine's Map, every strategy) or {@code sagemaker}
     * (one SageMaker hyperparameter tuning job: grid or random, on SageMaker only; {@link #tuning()} checks the search
     * against it).
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for another engine
     */
    public String tuningEngine() {
        String engine = text("tuning.engine").strip().toLowerCase(Locale.ROOT);
        if (!engine.equals("capstan") && !engine.equals(SAGEMAKER_ENGINE)) {
            throw CapstanException.invalidParameter("tuning.engine must be 'capstan' or 'sagemaker', got '"
                    + text("tuning.engine") + "'");
        }
        return engine;
    }

    /**
     * The hyperparameter search the {@code tuning.*} settings ask for; empty when {@code tuning.strategy} is
     * {@code none}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the first bad setting, or a search its engine cannot run
     */
    public Optional<TuningSettings> tuning() {
        SearchStrategy strategy = SearchStrategy.parse(text("tuning.strategy"));
        if (strategy == SearchStrategy.NONE) {
            return Optional.empty();
        }
        if (tuningEngine().equals(SAGEMAKER_ENGINE)) {
            if (strategy == SearchStrategy.HALVING) {
                throw CapstanException.invalidParameter("tuning.engine sagemaker runs grid and random searches; "
                        + "halving on epochs is Capstan's (tuning.engine capstan)");
            }
            if (!trainingPlatform().equals("sagemaker")) {
                throw CapstanException.invalidParameter("tuning.engine sagemaker runs a SageMaker hyperparameter "
                        + "tuning job, which trains on SageMaker: set training.platform to sagemaker, or "
                        + "tuning.engine to capstan to search on Batch");
            }
        }
        String objective = text("tuning.objective").isBlank() ? text("gate.metric") : text("tuning.objective").strip();
        if (!ClassificationScores.METRICS.contains(objective)) {
            throw CapstanException.invalidParameter("tuning.objective must be one of " + ClassificationScores.METRICS
                    + ", got '" + objective + "'");
        }
        boolean maximize = switch (text("tuning.direction").strip()) {
            case "" -> ClassificationScores.higherIsBetter(objective);
            case "maximize" -> true;
            case "minimize" -> false;
            default -> throw CapstanException.invalidParameter("tuning.direction must be maximize or minimize (or "
                    + "unset: by the objective), got '" + text("tuning.direction") + "'");
        };
        long seed = text("tuning.seed").isBlank() ? seed() : wholeNumber("tuning.seed", Long.MIN_VALUE, Long.MAX_VALUE);
        double validationFraction = number("tuning.validation_fraction");
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw CapstanException.invalidParameter("tuning.validation_fraction must be above 0 and under 1, got "
                    + text("tuning.validation_fraction"));
        }
        return Optional.of(new TuningSettings(strategy, SearchSpace.of(values),
                (int) wholeNumber("tuning.max_trials", 1, TuningSettings.MAX_TRIALS),
                (int) wholeNumber("tuning.max_parallel", 1, TuningSettings.MAX_PARALLEL), objective, maximize, seed,
                validationFraction, (int) wholeNumber("tuning.halving_min_epochs", 1, 100_000),
                (int) wholeNumber("tuning.halving_eta", 2, 100),
                (int) wholeNumber("tuning.halving_max_epochs", 1, 100_000)));
    }

    /** The {@code tuning.*} settings, for the record of a search on its run. */
    public Map<String, String> tuningSettings() {
        Map<String, String> tuning = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("tuning.")) {
                tuning.put(key, value);
            }
        });
        return tuning;
    }

    public boolean flag(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        if (!value.equals("true") && !value.equals("false")) {
            throw CapstanException.invalidParameter("Pipeline setting '" + key + "' must be true or false, got '"
                    + text(key) + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** The trainer's hyperparameters (the {@code hyperparameters.} settings), as SageMaker passes them: strings. */
    public Map<String, String> hyperparameters() {
        Map<String, String> hyper = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("hyperparameters.")) {
                hyper.put(key.substring("hyperparameters.".length()), value);
            }
        });
        return hyper;
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put("training.platform", "sagemaker");
        d.put("training.instance_type", "ml.m5.large");
        d.put("training.gpu_count", "0");
        d.put("training.image", "");
        d.put("training.max_runtime_seconds", "3600");
        d.put("gate.metric", "accuracy");
        d.put("gate.threshold", "0.5");
        d.put("gate.margin", "0.0");
        d.put("gate.manual_approval", "false");
        d.put("validation.minimum_rows", "20");
        d.put("validation.minimum_class_share", "0.05");
        d.put("validation.holdout_fraction", "0.2");
        d.put("hyperparameters.label_column", "label");
        d.put("hyperparameters.seed", "42");
        d.put("tuning.strategy", "none");
        d.put("tuning.engine", "capstan");
        d.put("tuning.max_trials", "10");
        d.put("tuning.max_parallel", "2");
        d.put("tuning.objective", "");
        d.put("tuning.direction", "");
        d.put("tuning.seed", "");
        d.put("tuning.validation_fraction", "0.2");
        d.put("tuning.halving_min_epochs", "2");
        d.put("tuning.halving_eta", "3");
        d.put("tuning.halving_max_epochs", "20");
        return d;
    }
}
