package io.capstan.pipeline.tuning;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * The values one hyperparameter may take in a search, written as a pipeline setting {@code tuning.space.<name>}:
 * {@code [a, b, c]} (a list), {@code uniform(low, high)}, {@code loguniform(low, high)} (low above 0) or
 * {@code int(low, high)} (whole numbers, both ends included). Values reach the trainer as text, as SageMaker passes
 * hyperparameters.
 */
public sealed interface SearchDimension {
    /** The most values a grid takes from one integer range. */
    int MAX_GRID_RANGE = 1_000;

    /** The hyperparameter's name. */
    String name();

    /** One value drawn with {@code random}: every value of the dimension equally likely (on a log scale for log-uniform). */
    String sample(SplittableRandom random);

    /** Every value, for a grid; empty for the continuous ranges, which have no grid. */
    Optional<List<String>> gridValues();

    /** @param values the values, in the order a grid takes them */
    record Choice(String name, List<String> values) implements SearchDimension {
        public Choice {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("a list needs at least one value");
            }
        }

        @Override
        public String sample(SplittableRandom random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public Optional<List<String>> gridValues() {
            return Optional.of(values);
        }
    }

    record Uniform(String name, double low, double high) implements SearchDimension {
        public Uniform {
            if (!(low < high)) {
                throw new IllegalArgumentException("low must be under high");
            }
        }

        @Override
        public String sample(SplittableRandom random) {
            return text(low + random.nextDouble() * (high - low));
        }

        @Override
        public Optional<List<String>> gridValues() {
            return Optional.empty();
        }
    }

    record LogUniform(String name, double low, double high) implements SearchDimension {
        public LogUniform {
            if (!(low > 0 && low < high)) {
                throw new IllegalArgumentException("low must be above 0 and under high");
            }
        }

        @Override
        public String sample(SplittableRandom random) {
            return text(Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low))));
        }

        @Override
        public Optional<List<String>> gridValues() {
            return Optional.empty();
        }
    }

    record IntegerRange(String name, long low, long high) implements SearchDimension {
        public IntegerRange {
            if (low > high || high - low < 0 || high - low == Long.MAX_VALUE) {
                throw new IllegalArgumentException("low must be at most high, and the "
                        + "range narrower than a long");
            }
        }

        @Override
        public String sample(SplittableRandom random) {
            return Long.toString(low + random.nextLong(high - low + 1));
        }

        @Override
        public Optional<List<String>> gridValues() {
            if (high - low >= MAX_GRID_RANGE) {
                throw SearchSpace.invalid(name, "int(" + low + ", " + high + ")", "a grid takes at most "
                        + MAX_GRID_RANGE + " values from an integer range");
            }
            return Optional.of(LongStream.rangeClosed(low, high).mapToObj(Long::toString).toList());
        }
    }

    /** Six significant digits: enough for any hyperparameter, short enough to read in a run's parameters. */
    private static String text(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
