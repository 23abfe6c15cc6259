package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads an MLflow scoring request ({@code POST /invocations}) into a feature matrix. The body is a JSON object with
 * exactly one of {@code dataframe_split} ({@code columns}, {@code data}, optional {@code index}),
 * {@code dataframe_records} (a list of objects), {@code instances} (a list of rows, each an object or an array in the
 * card's column order) and {@code inputs} (an object of column to list of values, the graph input's name to a list of
 * rows, or a list of rows as for {@code instances}); {@code params} is handed back as it came, for the caller to
 * validate against an MLflow signature (Capstan's own models ignore it).
 */
public final class MlflowScoringReader {
    /** The request formats, of which a body holds exactly one. */
    public static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");
    private final FeatureMatrices matrices;
    private final JsonFactory json;

    public MlflowScoringReader(FeatureMatrices matrices) {
        this(matrices, PredictJson.SCANNING_FACTORY);
    }

    /** With {@code json} for the body: a plain factory reads every value token by token (the tests' reference). */
    MlflowScoringReader(FeatureMatrices matrices, JsonFactory json) {
        this.matrices = matrices;
        this.json = json;
    }

    /**
     * The rows of {@code body}, in {@code columns} order.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming the field, column and row;
     *                                           {@code MALFORMED_REQUEST} when the body is not JSON
     */
    public FeatureMatrix read(byte[] body, FeatureColumns columns) {
        return readRequest(body, columns).features();
    }

    /**
     * The rows of {@code body}, in {@code columns} order, with the format they came in and the request's
     * {@code params}.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming the field, column and row;
     *                                           {@code MALFORMED_REQUEST} when the body is not JSON
     */
    public MlflowScoringRequest readRequest(byte[] body, FeatureColumns columns) {
        return readRequest(body, columns, null);
    }

    /**
     * As {@link #readRequest(byte[], FeatureColumns)}, with each row's prediction id read from the column
     * {@code idColumn} (not a feature; by name, so in {@code dataframe_split}, {@code dataframe_records}, objects of
     * {@code instances} and the columns of {@code inputs}).
     *
     * @param idColumn the id column's name, or null for none
     */
    public MlflowScoringRequest readRequest(byte[] body, FeatureColumns columns, String idColumn) {
        if (idColumn != null && columns.indexOf(idColumn) >= 0) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(idColumn) + "' is one of the model's"
                    + " features; name a column that holds only the rows' prediction ids.");
        }
        int expectedRows = body.length / (2 * columns.width()) + 1;
        try (JsonParser parser = json.createParser(body);
             FeatureMatrixBuilder builder = matrices.builder(columns, expectedRows)) {
            RowReader rows = new RowReader(builder, body, idColumn);
            Root root = readRoot(parser, rows, body);
            return new MlflowScoringRequest(builder.finish(root.rows()), root.format(), root.params(),
                    rows.ids(root.rows()));
        } catch (JsonProcessingException e) {
            throw PredictJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        }
    }

    private record Root(int rows, String format, byte[] params) {
    }

    private static Root readRoot(JsonParser p, RowReader rows, byte[] body) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw InputErrors.invalid("The request body must be a JSON object with exactly one of "
                    + String.join(", ", FORMATS) + ".");
        }
        String format = null;
        byte[] params = null;
        int count = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("params")) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                params = java.util.Arrays.copyOfRange(body, start, end);
                continue;
            }
            if (!FORMATS.contains(field)) {
                throw InputErrors.invalid("The request body has field '" + InputErrors.shown(field) + "'; it must"
                        + " hold exactly one of " + String.join(", ", FORMATS) + " (and optionally params).");
            }
            if (format != null) {
                throw InputErrors.invalid("The request body has both '" + format + "' and '" + field + "'; send"
                        + " exactly one input format.");
            }
            format = field;
            count = switch (field) {
                case "dataframe_split" -> rows.readSplit(p);
                case "dataframe_records" -> rows.readRowList(p, field, false);
                case "instances" -> rows.readRowList(p, field, true);
                default -> rows.readInputs(p);
            };
        }
        if (format == null) {
            throw InputErrors.invalid("The request body has none of " + String.join(", ", FORMATS) + "; e.g."
                    + " {\"dataframe_split\": {\"columns\": [...], \"data\": [[...]]}}.");
        }
        if (p.nextToken() != null) {
            throw InputErrors.invalid("The request body has content after its JSON object.");
        }
        return new Root(count, format, params);
    }
}
