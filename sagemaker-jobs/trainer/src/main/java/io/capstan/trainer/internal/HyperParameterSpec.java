package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One hyperparameter: its name, its default (null when it has none and is optional), the algorithms it applies
 * to, how its text is parsed and checked, and what it means (for the README's table).
 */
public record HyperParameterSpec(String name, String defaultValue, Set<Algorithm> appliesTo, Parser parser,
                                 String description) {

    /** Turns a hyperparameter's text into its value, or fails naming the field and the value. */
    @FunctionalInterface
    public interface Parser {
        Object parse(String name, String text);
    }

    static final Set<Algorithm> ALL = EnumSet.allOf(Algorithm.class);
    static final Set<Algorithm> SGD = EnumSet.of(Algorithm.LOGISTIC_REGRESSION, Algorithm.LINEAR_SVM,
            Algorithm.FACTORIZATION_MACHINE, Algorithm.BAGGING);

    public HyperParameterSpec {
        Objects.requireNonNull(name, "name");
        appliesTo = Set.copyOf(appliesTo);
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(description, "description");
    }

    Object parse(String text) {
        return parser.parse(name, text.trim());
    }

    static Parser intAtLeast(int minimum, int maximum) {
        return (name, text) -> {
            long value = parseLong(name, text, "an integer");
            if (value < minimum || value > maximum) {
                throw invalid(name, text, "an integer from " + minimum + " to " + maximum);
            }
            return (int) value;
        };
    }

    static Parser longAtLeast(long minimum) {
        return (name, text) -> {
            long value = parseLong(name, text, "an integer");
            if (value < minimum) {
                throw invalid(name, text, "an integer of at least " + minimum);
            }
            return value;
        };
    }

    static Parser anyLong() {
        return (name, text) -> parseLong(name, text, "an integer");
    }

    static Parser positiveNumber() {
        return (name, text) -> {
            double value = parseDouble(name, text, "a positive number");
            if (!(value > 0)) {
                throw invalid(name, text, "a positive number");
            }
            return value;
        };
    }

    static Parser anyNumber() {
        return (name, text) -> parseDouble(name, text, "a number");
    }

    static Parser fraction() {
        return (name, text) -> {
            double value = parseDouble(name, text, "a number between 0 and 1, both excluded");
            if (!(value > 0 && value < 1)) {
                throw invalid(name, text, "a number between 0 and 1, both excluded");
            }
            return value;
        };
    }

    static Parser text() {
        return (name, text) -> {
            if (text.isEmpty()) {
                throw invalid(name, text, "a non-empty string");
            }
            return text;
        };
    }

    /** A comma-separated list of distinct, non-empty column names. */
    static Parser columnList() {
        return (name, text) -> {
            List<String> columns = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String column : text.split(",", -1)) {
                String trimmed = column.trim();
                if (trimmed.isEmpty()) {
                    throw invalid(name, text, "a comma-separated list of column names with no empty entry");
                }
                if (!seen.add(trimmed)) {
                    throw invalid(name, text, "a list that names each column once ('" + trimmed + "' is repeated)");
                }
                columns.add(trimmed);
            }
            return List.copyOf(columns);
        };
    }

    /** One of the given words, compared without case; returns the word in lower case. */
    static Parser oneOf(String... words) {
        return (name, text) -> {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String word : words) {
                if (word.equals(lower)) {
                    return word;
                }
            }
            throw invalid(name, text, "one of " + String.join(", ", words));
        };
    }

    /** {@code auto}, or a positive number. */
    static Parser autoOrPositive() {
        Parser positive = positiveNumber();
        return (name, text) -> "auto".equalsIgnoreCase(text) ? "auto" : positive.parse(name, text);
    }

    static CapstanException invalid(String name, String text, String expected) {
        return CapstanException.invalidParameter("hyperparameter '" + name + "' must be " + expected + "; got '"
                + text + "'");
    }

    private static long parseLong(String name, String text, String expected) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            // SageMaker's tuner and JSON numbers may write an integer as 20.0
            try {
                double value = Double.parseDouble(text);
                if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                    return (long) value;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw invalid(name, text, expected);
        }
    }

    private static double parseDouble(String name, String text, String expected) {
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw invalid(name, text, expected);
            }
            return value;
        } catch (NumberFormatException e) {
            throw invalid(name, text, expected);
        }
    }
}
