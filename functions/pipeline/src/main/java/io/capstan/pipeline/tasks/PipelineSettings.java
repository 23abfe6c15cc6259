package io.capstan.pipeline.tasks;

import io.capstan.error.CapstanException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of one execution, resolved in order: Capstan's defaults, then the registered model's
 * {@code capstan.pipeline.<key>} tags, then the request. Keys are flat: {@code training.platform},
 * {@code gate.threshold}, {@code hyperparameters.epochs}, {@code validation.holdout_fraction}.
 *
 * @param values every setting, defaults included
 */
public record PipelineSettings(Map<String, String> values) {
    /** Registered-model tags with this prefix set a model's pipeline defaults. */
    public static final String TAG_PREFIX = "capstan.pipeline.";

    static final Map<String, String> DEFAULTS = defaults();
    private static final List<String> SECTIONS = List.of("training.", "gate.", "validation.", "hyperparameters.");

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
            if (!key.startsWith("hyperparameters.") && !DEFAULTS.containsKey(key)) {
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
        return d;
    }
}
