package io.capstan.predict.tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What MLflow's scoring server hands a pyfunc model: a data frame ({@code dataframe_split}, {@code dataframe_records},
 * or tensors a column signature turned into one), named arrays ({@code inputs} as an object, {@code instances} as
 * records) or one array ({@code instances} or {@code inputs} as a list).
 */
sealed interface PyfuncInput permits PyfuncInput.Frame, PyfuncInput.Tensors, PyfuncInput.Tensor {

    /**
     * A data frame: named columns of as many rows each. A column holds one scalar per row (shape {@code [rows]}) or
     * one array per row (shape {@code [rows, ...]}).
     *
     * @param columns the column names in frame order
     * @param data    the columns, in the same order
     * @param rows    the number of rows
     */
    record Frame(List<String> columns, List<NdArray> data, int rows) implements PyfuncInput {
        public Frame {
            columns = List.copyOf(columns);
            data = List.copyOf(data);
        }

        int indexOf(String column) {
            return columns.indexOf(column);
        }
    }

    /**
     * Named arrays, as {@code {"inputs": {"a": [...], "b": [...]}}} sends them.
     *
     * @param arrays the arrays by name, in request order
     */
    record Tensors(Map<String, NdArray> arrays) implements PyfuncInput {
        public Tensors {
            arrays = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        }
    }

    /**
     * One unnamed array.
     *
     * @param array the array
     */
    record Tensor(NdArray array) implements PyfuncInput {
    }
}
