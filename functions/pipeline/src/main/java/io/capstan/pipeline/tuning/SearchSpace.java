package io.capstan.pipeline.tuning;

import io.capstan.error.CapstanException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hyperparameters a search varies, each with its {@link SearchDimension}, in name order (so that a seed draws
 * the same trials however the settings were listed).
 *
 * @param dimensions one per hyperparameter searched, by name
 */
public record SearchSpace(List<SearchDimension> dimensions) {
    /** The setting prefix of a dimension: {@code tuning.space.learning_rate = loguniform(0.01, 1)}. */
    public static final String PREFIX = "tuning.space.";
    /** Hyperparameters that say where the data is or what it means: a search cannot vary them. */
    static final Set<String> NOT_SEARCHABLE = Set.of("label_column", "feature_columns", "train_uri", "validation_uri",
            "model_output_uri");
    private static final Pattern RANGE = Pattern.compile(
            "(uniform|loguniform|int)\\(\\s*([^,()]+?)\\s*,\\s*([^,()]+?)\\s*\\)");

    public SearchSpace {
        dimensions = List.copyOf(dimensions);
    }

    /**
     * The dimensions in a set of pipeline settings: every {@code tuning.space.<name>}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the first setting that is not a search space
     */
    public static SearchSpace of(Map<String, String> settings) {
        Map<String, SearchDimension> byName = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                String name = key.substring(PREFIX.length());
                if (name.isEmpty() || NOT_SEARCHABLE.contains(name)) {
                    throw CapstanException.invalidParameter("'" + key + "' cannot be searched: a search varies "
                            + "hyperparameters of the model, not " + NOT_SEARCHABLE);
                }
                byName.put(name, dimension(name, value));
            }
        });
        return new SearchSpace(List.copyOf(byName.values()));
    }

    /**
     * Reads {@code text} as the dimension of {@code name}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the setting and saying what is accepted
     */
    public static SearchDimension dimension(String name, String text) {
        String value = text.strip();
        if (value.startsWith("[") && value.endsWith("]")) {
            List<String> values = Arrays.stream(value.substring(1, value.length() - 1).split(",", -1))
                    .map(String::strip).map(SearchSpace::unquoted).toList();
            if (values.stream().anyMatch(String::isEmpty)) {
                throw invalid(name, text, "a list has no empty values");
            }
            return new SearchDimension.Choice(name, values);
        }
        Matcher range = RANGE.matcher(value);
        if (!range.matches()) {
            throw invalid(name, text, "write [a, b, c], uniform(low, high), loguniform(low, high) or int(low, high)");
        }
        try {
            if (range.group(1).equals("int")) {
                return new SearchDimension.IntegerRange(name, whole(name, text, range.group(2)),
                        whole(name, text, range.group(3)));
            }
            double low = number(name, text, range.group(2));
            double high = number(name, text, range.group(3));
            return range.group(1).equals("uniform") ? new SearchDimension.Uniform(name, low, high)
                    : new SearchDimension.LogUniform(name, low, high);
        } catch (IllegalArgumentException e) {
            throw invalid(name, text, e.getMessage());
        }
    }

    public boolean isEmpty() {
        return dimensions.isEmpty();
    }

    public boolean has(String name) {
        return dimensions.stream().anyMatch(d -> d.name().equals(name));
    }

    /**
     * How many points the grid has, without enumerating it.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE when a dimension is a continuous range
     */
    public BigInteger gridSize() {
        BigInteger size = BigInteger.ONE;
        for (SearchDimension dimension : dimensions) {
            size = size.multiply(BigInteger.valueOf(gridValues(dimension).size()));
        }
        return size;
    }

    /** Every combination of the dimensions' values, the first dimension (by name) varying slowest. */
    public List<Map<String, String>> grid() {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(Map.of());
        for (SearchDimension dimension : dimensions) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : points) {
                for (String value : gridValues(dimension)) {
                    Map<String, String> extended = new TreeMap<>(point);
                    extended.put(dimension.name(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<String> gridValues(SearchDimension dimension) {
        return dimension.gridValues().orElseThrow(() -> CapstanException.invalidParameter(PREFIX + dimension.name()
                + " is a continuous range, which a grid cannot enumerate: give a list or an int range, or set "
                + "tuning.strategy to random"));
    }

    private static String unquoted(String value) {
        boolean quoted = value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    private static long whole(String name, String text, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(name, text, "int(low, high) takes whole numbers");
        }
    }

    private static double number(String name, String text, String value) {
        try {
            double number = Double.parseDouble(value);
            if (Double.isFinite(number)) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid(name, text, "the bounds must be finite numbers");
    }

    static CapstanException invalid(String name, String text, String why) {
        return CapstanException.invalidParameter(PREFIX + name + " '" + text + "' is not a search space: " + why);
    }
}
