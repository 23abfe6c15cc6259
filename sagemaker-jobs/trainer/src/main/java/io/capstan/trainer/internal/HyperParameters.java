package io.capstan.trainer.internal;

import static io.capstan.trainer.internal.HyperParameterSpec.ALL;
import static io.capstan.trainer.internal.HyperParameterSpec.SGD;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hyperparameters of one training job, parsed and checked against {@link #SPECS}, with the defaults of the
 * chosen algorithm filled in. Only the hyperparameters that apply to the algorithm have a value.
 *
 * @param algorithm the algorithm
 * @param values    by name, in {@link #SPECS} order; optional ones without a value are absent
 */
public record HyperParameters(Algorithm algorithm, Map<String, Object> values) {

    /** Keys with this prefix are SageMaker's own ({@code sagemaker_program}, ...) and are ignored. */
    static final String SAGEMAKER_PREFIX = "sagemaker_";

    private static final List<String> LIBLINEAR_SOLVERS =
            TribuoTrainers.LIBLINEAR_SOLVERS.keySet().stream().sorted().toList();

    /** Every hyperparameter the trainer accepts. */
    public static final List<HyperParameterSpec> SPECS = List.of(
            spec("algorithm", "logistic-regression", ALL, Algorithm::parse,
                    "one of " + Algorithm.ids()),
            spec("label_column", "label", ALL, HyperParameterSpec.text(), "the column holding the class"),
            spec("feature_columns", null, ALL, HyperParameterSpec.columnList(),
                    "comma-separated input columns, in the order the model takes them; default: every column but "
                            + "the label, in file order"),
            spec("seed", "42", ALL, HyperParameterSpec.anyLong(),
                    "seeds the validation split and every random choice of the algorithm"),
            spec("validation_fraction", "0.2", ALL, HyperParameterSpec.fraction(),
                    "share of the training rows held out (stratified by class) when there is no validation channel"),
            spec("epochs", "20", SGD, HyperParameterSpec.intAtLeast(1, 100_000), "passes over the training data"),
            spec("learning_rate", "0.1", SGD, HyperParameterSpec.positiveNumber(), "AdaGrad's initial learning rate"),
            spec("adagrad_epsilon", "0.1", SGD, HyperParameterSpec.positiveNumber(),
                    "AdaGrad's epsilon, added to the gradient history"),
            spec("minibatch_size", "1", SGD, HyperParameterSpec.intAtLeast(1, 1_000_000),
                    "examples per gradient step"),
            spec("history_max_row_epochs", "10000000", SGD, HyperParameterSpec.longAtLeast(0),
                    "budget for the per-epoch history, in training rows x epochs retrained (see Per-epoch metrics)"),
            spec("factor_size", "6", EnumSet.of(Algorithm.FACTORIZATION_MACHINE),
                    HyperParameterSpec.intAtLeast(1, 1_000), "size of the factorization machine's factors"),
            spec("factor_variance", "0.1", EnumSet.of(Algorithm.FACTORIZATION_MACHINE),
                    HyperParameterSpec.positiveNumber(), "variance of the factors' Gaussian initialisation"),
            spec("ensemble_size", "10", EnumSet.of(Algorithm.BAGGING), HyperParameterSpec.intAtLeast(2, 1_000),
                    "number of bagged logistic regressions"),
            spec("solver", "l2r_l2loss_svc_dual", EnumSet.of(Algorithm.LIBLINEAR),
                    HyperParameterSpec.oneOf(LIBLINEAR_SOLVERS.toArray(String[]::new)),
                    "LibLinear solver: " + String.join(", ", LIBLINEAR_SOLVERS)
                            + " (the SVM solvers; see Algorithms for why not the others)"),
            spec("max_iterations", "1000", EnumSet.of(Algorithm.LIBLINEAR), HyperParameterSpec.intAtLeast(1, 1_000_000),
                    "LibLinear's iteration limit"),
            spec("tolerance", "0.001", EnumSet.of(Algorithm.LIBLINEAR, Algorithm.LIBSVM),
                    HyperParameterSpec.positiveNumber(), "stopping tolerance of the solver"),
            spec("cost", "1.0", EnumSet.of(Algorithm.LIBLINEAR, Algorithm.LIBSVM), HyperParameterSpec.positiveNumber(),
                    "C, the penalty for misclassified training rows"),
            spec("kernel", "linear", EnumSet.of(Algorithm.LIBSVM),
                    HyperParameterSpec.oneOf("linear", "rbf", "poly", "sigmoid"),
                    "LibSVM kernel: linear, rbf, poly or sigmoid"),
            spec("gamma", "auto", EnumSet.of(Algorithm.LIBSVM), HyperParameterSpec.autoOrPositive(),
                    "kernel gamma for rbf, poly and sigmoid; auto is 1 / number of features"),
            spec("degree", "3", EnumSet.of(Algorithm.LIBSVM), HyperParameterSpec.intAtLeast(1, 20),
                    "degree of the poly kernel"),
            spec("coef0", "0", EnumSet.of(Algorithm.LIBSVM), HyperParameterSpec.anyNumber(),
                    "constant term of the poly and sigmoid kernels"),
            spec("train_uri", null, ALL, S3Location::parse,
                    "Batch mode: s3://bucket/prefix downloaded into the train channel before training"),
            spec("validation_uri", null, ALL, S3Location::parse,
                    "Batch mode: s3://bucket/prefix downloaded into the validation channel"),
            spec("model_output_uri", null, ALL, S3Location::parse,
                    "Batch mode: s3://bucket/prefix every model output is uploaded to after training"));

    private static final Map<String, HyperParameterSpec> BY_NAME = SPECS.stream()
            .collect(Collectors.toMap(HyperParameterSpec::name, spec -> spec));

    public HyperParameters {
        Objects.requireNonNull(algorithm, "algorithm");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Parses hyperparameters as SageMaker passes them: a JSON object whose values are strings (plain JSON numbers
     * and booleans are accepted too).
     *
     * @param json        the object, or null for all defaults
     * @param fallback    values by name used where the JSON has none (Batch mode's environment variables)
     * @throws CapstanException with {@code INVALID_PARAMETER_VALUE} naming the field and the value
     */
    public static HyperParameters parse(JsonNode json, Map<String, String> fallback) {
        Map<String, String> given = new LinkedHashMap<>();
        if (json != null && !json.isNull() && !json.isMissingNode()) {
            if (!json.isObject()) {
                throw CapstanException.invalidParameter("hyperparameters must be a JSON object of name to value; "
                        + "got " + json.getNodeType());
            }
            json.fields().forEachRemaining(field -> {
                if (!field.getKey().startsWith(SAGEMAKER_PREFIX)) {
                    given.put(field.getKey(), text(field.getKey(), field.getValue()));
                }
            });
        }
        fallback.forEach(given::putIfAbsent);
        for (String name : given.keySet()) {
            if (!BY_NAME.containsKey(name)) {
                throw CapstanException.invalidParameter("unknown hyperparameter '" + name + "'; known: "
                        + SPECS.stream().map(HyperParameterSpec::name).collect(Collectors.joining(", ")));
            }
        }
        Algorithm algorithm = (Algorithm) BY_NAME.get("algorithm").parse(
                given.getOrDefault("algorithm", BY_NAME.get("algorithm").defaultValue()));
        Map<String, Object> values = new LinkedHashMap<>();
        for (HyperParameterSpec spec : SPECS) {
            String text = given.get(spec.name());
            if (!spec.appliesTo().contains(algorithm)) {
                if (text != null) {
                    throw CapstanException.invalidParameter("hyperparameter '" + spec.name() + "' does not apply to "
                            + "algorithm '" + algorithm + "'; it applies to " + spec.appliesTo().stream()
                            .sorted().map(Algorithm::id).collect(Collectors.joining(", ")));
                }
            } else if (text != null) {
                values.put(spec.name(), spec.parse(text));
            } else if (spec.defaultValue() != null) {
                values.put(spec.name(), spec.parse(spec.defaultValue()));
            }
        }
        return new HyperParameters(algorithm, values);
    }

    public String labelColumn() {
        return (String) values.get("label_column");
    }

    /** The requested feature columns; empty means every column but the label. */
    @SuppressWarnings("unchecked")
    public List<String> featureColumns() {
        return (List<String>) values.getOrDefault("feature_columns", List.of());
    }

    public long seed() {
        return (Long) values.get("seed");
    }

    public double validationFraction() {
        return (Double) values.get("validation_fraction");
    }

    /** Epochs, for algorithms that train in epochs; 0 otherwise. */
    public int epochs() {
        return (Integer) values.getOrDefault("epochs", 0);
    }

    /** The value of an algorithm-specific hyperparameter; the caller knows it applies. */
    public <T> T get(String name, Class<T> type) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("hyperparameter '" + name + "' does not apply to " + algorithm);
        }
        return type.cast(value);
    }

    /** An optional S3 location ({@code train_uri}, {@code validation_uri}, {@code model_output_uri}), or null. */
    public S3Location location(String name) {
        return (S3Location) values.get(name);
    }

    /** The values as JSON-friendly objects (numbers, strings, lists), for {@code metrics.json}. */
    public Map<String, Object> asReported() {
        Map<String, Object> reported = new LinkedHashMap<>();
        values.forEach((name, value) -> reported.put(name,
                value instanceof S3Location || value instanceof Algorithm ? value.toString() : value));
        return reported;
    }

    private static HyperParameterSpec spec(String name, String defaultValue, Set<Algorithm> appliesTo,
                                           HyperParameterSpec.Parser parser, String description) {
        return new HyperParameterSpec(name, defaultValue, appliesTo, parser, description);
    }

    private static String text(String name, JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw CapstanException.invalidParameter("hyperparameter '" + name + "' must be a string, number or "
                + "boolean; got " + value.getNodeType() + " " + value);
    }
}
