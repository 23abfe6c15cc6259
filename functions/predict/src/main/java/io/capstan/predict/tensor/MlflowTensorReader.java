package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.error.CapstanException;
import io.capstan.predict.input.MlflowScoringReader;
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
    private static final List<String> FORMATS = MlflowScoringReader.FORMATS;

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
                        case "dataframe_split" -> DataFrameReader.readSplit(p, arrays);
                        case "dataframe_records" -> DataFrameReader.readRecords(p, arrays, field);
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
            throw PredictJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        }
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
            return DataFrameReader.readRecords(p, arrays, "inputs");
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
                        + PredictJson.describe(p.currentToken()) + "; when instances holds records, each is an object.");
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
}
