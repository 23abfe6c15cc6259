package io.capstan.drift;

import java.util.Objects;

/** One column of a sample in exact mode: numbers (NaN is missing) or categories (null or empty is missing). */
public sealed interface Column permits Column.Numeric, Column.Categorical {
    String name();

    ColumnRole role();

    int size();

    static Column numeric(String name, double[] values) {
        return new Numeric(name, values, ColumnRole.FEATURE);
    }

    static Column categorical(String name, String[] values) {
        return new Categorical(name, values, ColumnRole.FEATURE);
    }

    /** A numeric column; the array is not copied, callers must not change it while a check runs. */
    record Numeric(String name, double[] values, ColumnRole role) implements Column {
        public Numeric {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    /** A categorical column; the array is not copied, callers must not change it while a check runs. */
    record Categorical(String name, String[] values, ColumnRole role) implements Column {
        public Categorical {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(role, "role");
        }

        @Override
        public int size() {
            return values.length;
        }
    }
}
