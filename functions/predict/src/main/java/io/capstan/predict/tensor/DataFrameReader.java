package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.error.CapstanException;
import io.capstan.predict.input.PredictJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the two data-frame orientations of an MLflow scoring request as pandas builds them: {@code dataframe_split}
 * (columns of the rows' values, named by {@code columns} or 0, 1, …) and a list of records ({@code dataframe_records},
 * or {@code inputs} holding records): columns in order of first appearance, gaps null.
 */
final class DataFrameReader {
    private DataFrameReader() {
    }

    /** {@code {"columns": [...], "data": [[...], ...], "index": [...]}}: pandas' split orientation. */
    static PyfuncInput.Frame readSplit(JsonParser p, JsonArrays arrays) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw CapstanException.invalidParameter("dataframe_split must be an object with 'data' and optionally"
                    + " 'columns' and 'index'; got " + PredictJson.describe(p.currentToken()) + ".");
        }
        List<String> names = null;
        List<ColumnBuilder> columns = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "columns" -> names = readNames(p);
                case "index" -> p.skipChildren();
                case "data" -> columns = readSplitData(p, arrays);
                default -> throw CapstanException.invalidParameter("dataframe_split has field '" + field + "'; it takes"
                        + " 'data' and optionally 'columns' and 'index'.");
            }
        }
        if (columns == null) {
            throw CapstanException.invalidParameter("dataframe_split has no 'data'; send the rows as a list of lists.");
        }
        int width = columns.size();
        if (width == 0) {
            throw CapstanException.invalidParameter("dataframe_split.data holds no rows; send at least one row.");
        }
        if (names == null) {
            names = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                names.add(Integer.toString(i));
            }
        } else if (names.size() != width) {
            throw CapstanException.invalidParameter("dataframe_split names " + names.size() + " columns but its rows"
                    + " have " + width + " values.");
        }
        List<NdArray> data = new ArrayList<>();
        for (ColumnBuilder column : columns) {
            data.add(column.build());
        }
        requireUnique(names, "dataframe_split.columns");
        return new PyfuncInput.Frame(names, data, columns.get(0).rows());
    }

    private static List<ColumnBuilder> readSplitData(JsonParser p, JsonArrays arrays) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw CapstanException.invalidParameter("dataframe_split.data must be a list of rows, each a list of"
                    + " values; got " + PredictJson.describe(p.currentToken()) + ".");
        }
        List<ColumnBuilder> columns = null;
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            boolean list = p.currentToken() == JsonToken.START_ARRAY;
            if (columns == null) {
                columns = new ArrayList<>();
            }
            if (!list) {
                // pandas reads a list of scalars as one column
                if (row == 0) {
                    columns.add(new ColumnBuilder("0", "dataframe_split.data"));
                } else if (columns.size() != 1) {
                    throw rowWidth(row, 1, columns.size());
                }
                columns.get(0).read(arrays);
                row++;
                continue;
            }
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (row == 0) {
                    columns.add(new ColumnBuilder(Integer.toString(i), "dataframe_split.data"));
                } else if (i >= columns.size()) {
                    throw rowWidth(row, i + 1, columns.size());
                }
                columns.get(i).read(arrays);
                i++;
            }
            if (i != columns.size()) {
                throw rowWidth(row, i, columns.size());
            }
            row++;
        }
        return columns == null ? List.of() : columns;
    }

    private static CapstanException rowWidth(int row, int given, int expected) {
        return CapstanException.invalidParameter("dataframe_split.data[" + row + "] has " + given + " values but row 0"
                + " has " + expected + "; every row has one value per column.");
    }

    /** A list of records, as pandas' {@code DataFrame(records)}: columns in order of first appearance, gaps null. */
    static PyfuncInput.Frame readRecords(JsonParser p, JsonArrays arrays, String source)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw CapstanException.invalidParameter(source + " must be a list of records; got "
                    + PredictJson.describe(p.currentToken()) + ".");
        }
        Map<String, ColumnBuilder> columns = new LinkedHashMap<>();
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw CapstanException.invalidParameter(source + "[" + row + "] is "
                        + PredictJson.describe(p.currentToken()) + "; each row is an object of column to value.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                ColumnBuilder column = columns.get(name);
                if (column == null) {
                    column = new ColumnBuilder(name, source);
                    for (int r = 0; r < row; r++) {
                        column.addMissing();
                    }
                    columns.put(name, column);
                } else if (column.rows() > row) {
                    throw CapstanException.invalidParameter(source + "[" + row + "] names column '" + name
                            + "' twice.");
                }
                column.read(arrays);
            }
            row++;
            for (ColumnBuilder column : columns.values()) {
                if (column.rows() < row) {
                    column.addMissing();
                }
            }
        }
        if (row == 0 || columns.isEmpty()) {
            throw CapstanException.invalidParameter(source + " holds no rows; send at least one record.");
        }
        List<NdArray> data = new ArrayList<>();
        columns.values().forEach(c -> data.add(c.build()));
        return new PyfuncInput.Frame(new ArrayList<>(columns.keySet()), data, row);
    }

    private static List<String> readNames(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw CapstanException.invalidParameter("dataframe_split.columns must be a list of column names.");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.currentToken().isScalarValue()) {
                throw CapstanException.invalidParameter("dataframe_split.columns[" + names.size() + "] is "
                        + PredictJson.describe(p.currentToken()) + "; column names are strings.");
            }
            names.add(p.getText());
        }
        return names;
    }

    private static void requireUnique(List<String> names, String source) {
        for (int i = 0; i < names.size(); i++) {
            if (names.indexOf(names.get(i)) != i) {
                throw CapstanException.invalidParameter(source + " names column '" + names.get(i) + "' twice.");
            }
        }
    }
}
