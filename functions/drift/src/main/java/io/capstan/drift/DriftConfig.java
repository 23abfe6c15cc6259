package io.capstan.drift;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a model's drift check chooses and judges its tests. The defaults are Evidently's: with at most
 * {@code smallSampleRows} reference rows, KS for a numeric column with more than 5 distinct values, chi-square for
 * a categorical column or a numeric one with at most 5 distinct values, the z-test when there are at most 2;
 * above that, normed Wasserstein for numeric columns (Jensen-Shannon with at most 5 distinct values) and
 * Jensen-Shannon for categorical ones. Thresholds: 0.05 for p-values, 0.1 for distances. Dataset drift when at
 * least half of the tested features drift.
 *
 * @param smallSampleRows reference rows up to which p-value tests are the default (Evidently: 1000)
 * @param driftShare share of drifted features that makes dataset drift, in (0, 1]
 * @param thresholds threshold per method; methods not listed use their default
 * @param columnMethods a method forced for a column, by column name
 * @param columnThresholds a threshold forced for a column, by column name (applies to its deciding test)
 * @param numericMethod a method forced for every numeric column without its own; {@code null} for the default
 * @param categoricalMethod a method forced for every categorical column without its own; {@code null} for the default
 */
public record DriftConfig(int smallSampleRows, double driftShare, Map<DriftMethod, Double> thresholds,
        Map<String, DriftMethod> columnMethods, Map<String, Double> columnThresholds, DriftMethod numericMethod,
        DriftMethod categoricalMethod) {

    public DriftConfig {
        if (smallSampleRows < 0) {
            throw new IllegalArgumentException("smallSampleRows " + smallSampleRows + " is negative");
        }
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new IllegalArgumentException("driftShare " + driftShare + " is outside (0, 1]");
        }
        thresholds = thresholds.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(thresholds));
        columnMethods = Map.copyOf(columnMethods);
        columnThresholds = Map.copyOf(columnThresholds);
        thresholds.values().forEach(DriftConfig::checkThreshold);
        columnThresholds.values().forEach(DriftConfig::checkThreshold);
    }

    /** Evidently's defaults. */
    public static DriftConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The threshold of a method for a column: the column's own, else the method's configured, else its default. */
    public double threshold(String column, DriftMethod method, boolean deciding) {
        if (deciding && columnThresholds.containsKey(column)) {
            return columnThresholds.get(column);
        }
        return thresholds.getOrDefault(method, method.defaultThreshold());
    }

    /** The method forced for a column, if any. */
    public Optional<DriftMethod> forcedMethod(String column, boolean numeric) {
        DriftMethod m = columnMethods.get(column);
        if (m == null) {
            m = numeric ? numericMethod : categoricalMethod;
        }
        return Optional.ofNullable(m);
    }

    private static void checkThreshold(Double t) {
        if (t == null || !(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("threshold " + t + " is not a finite non-negative number");
        }
    }

    /** Builds a {@link DriftConfig}; unset values keep Evidently's defaults. */
    public static final class Builder {
        private int smallSampleRows = 1000;
        private double driftShare = 0.5;
        private final Map<DriftMethod, Double> thresholds = new EnumMap<>(DriftMethod.class);
        private final Map<String, DriftMethod> columnMethods = new HashMap<>();
        private final Map<String, Double> columnThresholds = new HashMap<>();
        private DriftMethod numericMethod;
        private DriftMethod categoricalMethod;

        private Builder() {
        }

        public Builder smallSampleRows(int rows) {
            this.smallSampleRows = rows;
            return this;
        }

        public Builder driftShare(double share) {
            this.driftShare = share;
            return this;
        }

        public Builder threshold(DriftMethod method, double threshold) {
            thresholds.put(Objects.requireNonNull(method, "method"), threshold);
            return this;
        }

        public Builder columnMethod(String column, DriftMethod method) {
            columnMethods.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(method, "method"));
            return this;
        }

        public Builder columnThreshold(String column, double threshold) {
            columnThresholds.put(Objects.requireNonNull(column, "column"), threshold);
            return this;
        }

        public Builder numericMethod(DriftMethod method) {
            this.numericMethod = method;
            return this;
        }

        public Builder categoricalMethod(DriftMethod method) {
            this.categoricalMethod = method;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException for a share outside (0, 1] or a negative threshold
         */
        public DriftConfig build() {
            return new DriftConfig(smallSampleRows, driftShare, thresholds, columnMethods, columnThresholds,
                    numericMethod, categoricalMethod);
        }
    }
}
