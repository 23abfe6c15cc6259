package io.capstan.predict.function;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.http.HttpRequest;
import io.capstan.predict.onnx.ModelOutputs;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Each scored row's prediction id, which the answer returns and quality feedback names: the caller's own, from the
 * request's id column (named by {@value #ID_COLUMN_HEADER}) or, for a single row, the {@value #ID_HEADER} header;
 * otherwise generated as 24 random hex digits per request and the row's position ({@code 5f0c…e1-0}, {@code …-1}).
 * A model served as named tensors gets one id per element of its outputs' leading dimension (the batch).
 */
final class PredictionIds {
    /** The request header naming the column of the rows' own ids. */
    static final String ID_COLUMN_HEADER = "X-Capstan-Id-Column";
    /** The request header carrying a single row's own id, and the response header returning a single row's id. */
    static final String ID_HEADER = "X-Capstan-Prediction-Id";
    private static final int MAX_LENGTH = 128;

    private PredictionIds() {
    }

    /** The id column the request names, if any. */
    static String idColumn(HttpRequest request) {
        Optional<String> column = request.header(ID_COLUMN_HEADER);
        if (column.isPresent() && column.get().isBlank()) {
            throw CapstanException.invalidParameter(ID_COLUMN_HEADER + " is blank; name the column that holds the rows'"
                    + " prediction ids, or leave the header out.");
        }
        return column.orElse(null);
    }

    /**
     * The ids of a request to a model served as named tensors, one per element of the outputs' leading dimension:
     * the {@value #ID_HEADER} header's for one, else generated. Such a request has no columns, so an id column is
     * refused.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the request names an id column, or as
     *                          {@link #of} does
     */
    static String[] ofTensors(HttpRequest request, ModelOutputs outputs) {
        long rows = outputs.values().isEmpty() ? 1 : outputs.values().get(0).rows();
        return of(request, (int) Math.max(1, Math.min(rows, Integer.MAX_VALUE)), null);
    }

    /**
     * Refuses, before the model runs, an id column on a request to a model served as named tensors.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the request names an id column
     */
    static void checkTensorRequest(HttpRequest request) {
        if (request.header(ID_COLUMN_HEADER).isPresent()) {
            throw CapstanException.invalidParameter(ID_COLUMN_HEADER + " names a column, but this model takes named"
                    + " tensors, which have no columns: leave the header out (ids are generated), or send "
                    + ID_HEADER + " with a request of one row.");
        }
    }

    /**
     * The ids of {@code rows} rows: {@code fromColumn} when the request had an id column, else the header's id for a
     * single row, else generated ones.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} for two rows with one id, a header id on several rows,
     *                          or a header id of the wrong length
     */
    static String[] of(HttpRequest request, int rows, String[] fromColumn) {
        Optional<String> header = request.header(ID_HEADER);
        if (fromColumn != null) {
            if (header.isPresent()) {
                throw CapstanException.invalidParameter("The request has both " + ID_HEADER + " and an id column ("
                        + ID_COLUMN_HEADER + "); send one of them.");
            }
            Map<String, Integer> seen = new HashMap<>(fromColumn.length * 2);
            for (int row = 0; row < fromColumn.length; row++) {
                Integer earlier = seen.putIfAbsent(fromColumn[row], row);
                if (earlier != null) {
                    throw CapstanException.invalidParameter("Rows " + earlier + " and " + row + " have the same"
                            + " prediction id '" + fromColumn[row] + "'; each row needs its own.");
                }
            }
            return fromColumn;
        }
        if (header.isPresent()) {
            String id = FieldLimits.checkCharacters(ID_HEADER, header.get());
            if (rows != 1) {
                throw CapstanException.invalidParameter(ID_HEADER + " gives one id, but the request has " + rows
                        + " rows; name a column of ids with " + ID_COLUMN_HEADER + " instead.");
            }
            if (id.isEmpty() || id.length() > MAX_LENGTH) {
                throw CapstanException.invalidParameter(ID_HEADER + " has " + id.length() + " characters; a"
                        + " prediction id has 1 to " + MAX_LENGTH + ".");
            }
            return new String[] {id};
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        String prefix = hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextInt()) + "-";
        String[] ids = new String[rows];
        for (int row = 0; row < rows; row++) {
            ids[row] = prefix + row;
        }
        return ids;
    }
}
