package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.predict.input.PredictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an MLflow scoring request as MLflow 2.12's scoring server does ({@code infer_and_parse_data}): exactly one of
 * {@code dataframe_split} and {@code dataframe_records} (a data frame, as pandas builds it), {@code instances} (records
 * become named arrays, anything else one array) and {@code inputs} (an object of named arrays, or one array); the
 * request's {@code params} are kept for validation and other fields are ignored. {@code inputs} as a list of records is
 * read as a data frame (MLflow does so only for a model with a column signature).
 */
final class MlflowTensorReader {
    static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    private final long maxElements;

    MlflowTensorReader(long maxElements) {
        this.maxElements = maxElements;
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming what is wrong, {@code MALFORMED_REQUEST} when
     *                          the body is not JSON, {@code PAYLOAD_TOO_LARGE} beyond the value limit
     */
    PyfuncRequest read(byte[] body) {
        try (JsonParser p = PredictJson.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw CapstanException.invalidParameter("The request body must be a JSON object with exactly one of "
                        + String.join(", ", FORMATS) + ".");
            }
            JsonArrays arrays = new JsonArrays(p, maxElements);
            PyfuncInput input = null;
            String format = null;
            byte[] params = null;
            List<String> fields = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                fields.add(field);
                p.nextToken();
                if (field.equals("params")) {
                    int start = (int) p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    params = Arrays.copyOfRange(body, start, (int) p.currentLocation().getByteOffset());
                } else if (FORMATS.contains(field)) {
                    if (format != null) {
                        throw CapstanException.invalidParameter("The request body has both '" + format + "' and '"
                                + field + "'; send exactly one of " + String.join(", ", FORMATS) + ".");
                    }
                    format = field;
                    input = switch (field) {
                        case "dataframe_split" -> readSplit(p, arrays);
                        case "dataframe_records" -> readRecordsFrame(p, arrays, field);
                        case "instances" -> readInstances(p, arrays, body);
                        default -> readInputs(p, arrays, body);
                    };
                } else {
                    p.skipChildren(); // MLflow ignores fields other than the formats and params
                }
            }
            if (format == null) {
                throw CapstanException.invalidParameter("The request body has none of " + String.join(", ", FORMATS)
                        + " (it has " + fields + "); e.g. {\"inputs\": {\"input_name\": [[...]]}}.");
            }
            if (p.nextToken() != null) {
                throw CapstanException.invalidParameter("The request body has content after its JSON object.");
            }
            return new PyfuncRequest(input, format, params);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        }
    }

    static CapstanException malformed(JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new CapstanException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid JSON" + location + ": "
                + e.getOriginalMessage());
    }

    /** {@code {"columns": [...], "data": [[...], ...], "index": [...]}}: pandas' split orientation. */
    private static PyfuncInput.Frame readSplit(JsonParser p, JsonArrays arrays) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw CapstanException.invalidParameter("dataframe_split must be an object with 'data' and optionally"
                    + " 'columns' and 'index'; got " + JsonArrays.describe(p.currentToken()) + ".");
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
                    + " values; got " + JsonArrays.describe(p.currentToken()) + ".");
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
    private static PyfuncInput.Frame readRecordsFrame(JsonParser p, JsonArrays arrays, String source)
            throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw CapstanException.invalidParameter(source + " must be a list of records; got "
                    + JsonArrays.describe(p.currentToken()) + ".");
        }
        Map<String, ColumnBuilder> columns = new LinkedHashMap<>();
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw CapstanException.invalidParameter(source + "[" + row + "] is "
                        + JsonArrays.describe(p.currentToken()) + "; each row is an object of column to value.");
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

    /** {@code instances}: records become named arrays (one per field), anything else one array. */
    private static PyfuncInput readInstances(JsonParser p, JsonArrays arrays, byte[] body) throws IOException {
        if (p.currentToken() == JsonToken.START_ARRAY && firstElementIsObject(p, body)) {
            return readRecordArrays(p, arrays);
        }
        return new PyfuncInput.Tensor(arrays.readArray("instances"));
    }

    /** {@code inputs}: an object of named arrays, a list of records (a frame), or one array. */
    private static PyfuncInput readInputs(JsonParser p, JsonArrays arrays, byte[] body) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            Map<String, NdArray> named = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (named.put(name, arrays.readArray("inputs." + name)) != null) {
                    throw CapstanException.invalidParameter("inputs names '" + name + "' twice.");
                }
            }
            if (named.isEmpty()) {
                throw CapstanException.invalidParameter("inputs is an empty object; name at least one input.");
            }
            return new PyfuncInput.Tensors(named);
        }
        if (p.currentToken() == JsonToken.START_ARRAY && firstElementIsObject(p, body)) {
            return readRecordsFrame(p, arrays, "inputs");
        }
        return new PyfuncInput.Tensor(arrays.readArray("inputs"));
    }

    /** {@code instances} as records: each field's values, row after row, as MLflow's {@code parse_instances_data}. */
    private static PyfuncInput.Tensors readRecordArrays(JsonParser p, JsonArrays arrays) throws IOException {
        Map<String, ColumnBuilder> columns = new LinkedHashMap<>();
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw CapstanException.invalidParameter("instances[" + row + "] is "
                        + JsonArrays.describe(p.currentToken()) + "; when instances holds records, each is an object.");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                columns.computeIfAbsent(name, n -> new ColumnBuilder(n, "instances")).read(arrays);
            }
            row++;
        }
        Map<String, NdArray> named = new LinkedHashMap<>();
        for (ColumnBuilder column : columns.values()) {
            if (column.rows() != row) {
                throw CapstanException.invalidParameter("instances: '" + column.name() + "' appears in "
                        + column.rows() + " of " + row + " records; the length of values for each input must be the"
                        + " same.");
            }
            named.put(column.name(), column.build());
        }
        return new PyfuncInput.Tensors(named);
    }

    /** Whether the list at the current token starts with an object; the parser stays on the list's start. */
    private static boolean firstElementIsObject(JsonParser p, byte[] body) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        try (JsonParser peek = PredictJson.FACTORY.createParser(body, start, body.length - start)) {
            peek.nextToken();
            return peek.nextToken() == JsonToken.START_OBJECT;
        }
    }

    private static List<String> readNames(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw CapstanException.invalidParameter("dataframe_split.columns must be a list of column names.");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!p.currentToken().isScalarValue()) {
                throw CapstanException.invalidParameter("dataframe_split.columns[" + names.size() + "] is "
                        + JsonArrays.describe(p.currentToken()) + "; column names are strings.");
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
