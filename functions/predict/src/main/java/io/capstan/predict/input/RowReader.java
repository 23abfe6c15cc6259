package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.http.FieldLimits;
import java.io.IOException;

/** Reads the row shapes the MLflow formats share into one builder: positional rows, records and columns. */
final class RowReader {
    private static final String SPLIT_DATA = "dataframe_split.data";
    private static final String SPLIT_COLUMNS = "dataframe_split.columns";

    /** The position given to the caller's id column among the request's columns. */
    private static final int ID = -2;
    /** The longest prediction id taken. */
    static final int MAX_ID_LENGTH = 128;

    private final FeatureMatrixBuilder builder;
    private final FeatureColumns columns;
    private final int[] cardOrder;
    private final byte[] body;
    /** The request's column that holds each row's prediction id, or null; it is not a feature. */
    private final String idColumn;
    private String[] ids = new String[0];

    RowReader(FeatureMatrixBuilder builder, byte[] body, String idColumn) {
        this.builder = builder;
        this.columns = builder.columns();
        this.body = body;
        this.cardOrder = columns.cardOrder();
        this.idColumn = idColumn;
    }

    /** The ids of the id column, one per row read; null when no id column was named. */
    String[] ids(int rows) {
        if (idColumn == null) {
            return null;
        }
        for (int row = 0; row < rows; row++) {
            if (row >= ids.length || ids[row] == null) {
                throw InputErrors.invalid("Row " + row + " has no value in the id column '" + InputErrors.shown(idColumn)
                        + "'; every row needs its prediction id.");
            }
        }
        return java.util.Arrays.copyOf(ids, rows);
    }

    /** {@code {"columns": [...], "data": [[...], ...], "index": [...]}}, the keys in any order. */
    int readSplit(JsonParser p) throws IOException {
        expect(p, JsonToken.START_OBJECT, "dataframe_split must be an object with 'columns' and 'data'.");
        int[] positions = null;
        int rows = -1;
        long dataStart = -1;
        long dataEnd = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "columns" -> positions = readColumnNames(p);
                case "data" -> {
                    expect(p, JsonToken.START_ARRAY, SPLIT_DATA + " must be a list of rows, each a list of values.");
                    if (positions != null) {
                        rows = p instanceof ResumableJsonParser resumable
                                ? NumericArrayScanner.readRows(resumable, builder, positions) : -1;
                        if (rows >= 0) {
                            PredictJson.expectEnd(p);
                        } else {
                            rows = readPositionalRows(p, positions, SPLIT_DATA);
                        }
                    } else {
                        dataStart = p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        dataEnd = p.currentLocation().getByteOffset();
                    }
                }
                case "index" -> p.skipChildren();
                default -> throw InputErrors.invalid("dataframe_split has field '" + InputErrors.shown(field)
                        + "'; it takes 'columns', 'data' and optionally 'index'.");
            }
        }
        if (positions == null) {
            throw InputErrors.invalid("dataframe_split has no 'columns'; name the columns of 'data', e.g."
                    + " {\"columns\": [\"" + columns.name(0) + "\", ...], \"data\": [[...]]}.");
        }
        if (rows < 0 && dataStart < 0) {
            throw InputErrors.invalid("dataframe_split has no 'data'; send the rows as a list of lists.");
        }
        if (rows < 0) {
            // 'data' came before 'columns': read it again now that the column order is known
            try (JsonParser replay = PredictJson.FACTORY.createParser(body, (int) dataStart,
                    (int) (dataEnd - dataStart))) {
                replay.nextToken();
                rows = readPositionalRows(replay, positions, SPLIT_DATA);
            }
        }
        return rows;
    }

    /** A list of rows, each an object of column to value or (when {@code arraysAllowed}) a list in card order. */
    int readRowList(JsonParser p, String source, boolean arraysAllowed) throws IOException {
        expect(p, JsonToken.START_ARRAY, source + " must be a list of rows.");
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            builder.ensureRow(row);
            if (p.currentToken() == JsonToken.START_OBJECT) {
                readRecord(p, row, source);
            } else if (arraysAllowed && p.currentToken() == JsonToken.START_ARRAY) {
                if (idColumn != null) {
                    throw InputErrors.invalid(source + "[" + row + "] is a list of values, which names no id column;"
                            + " send rows as objects (or dataframe_split with 'columns') to name '"
                            + InputErrors.shown(idColumn) + "'.");
                }
                readPositionalRow(p, cardOrder, row, source);
            } else {
                throw InputErrors.invalid(source + "[" + row + "] is " + PredictJson.describe(p.currentToken())
                        + "; each row is " + (arraysAllowed ? "an object of column to value, or a list of "
                        + columns.width() + " values in the model's column order." : "an object of column to value."));
            }
            row++;
        }
        if (row == 0) {
            throw InputErrors.emptyBatch(source);
        }
        return row;
    }

    /** {@code inputs}: an object of column to list of values, or a list of rows as for {@code instances}. */
    int readInputs(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.START_ARRAY) {
            return readRowList(p, "inputs", true);
        }
        expect(p, JsonToken.START_OBJECT, "inputs must be an object of column to list of values, or a list of rows.");
        int rows = -1;
        String firstColumn = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (name.equals(idColumn)) {
                p.nextToken();
                expect(p, JsonToken.START_ARRAY, "inputs." + name + " (the id column) must be a list of ids, one per"
                        + " row.");
                int row = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    readId(p, row++, "inputs." + name);
                }
                continue;
            }
            int column = columns.indexOf(name);
            if (column < 0 && name.equals(columns.inputTensor()) && seen == 0 && rows < 0) {
                // the graph's input by name, as MLflow clients send a tensor: {"inputs": {"X": [[...], ...]}}
                p.nextToken();
                rows = readRowList(p, "inputs." + name, true);
                if (p.nextToken() != JsonToken.END_OBJECT) {
                    throw InputErrors.invalid("inputs has '" + name + "', the model's input tensor, and '"
                            + p.currentName() + "'; send either the tensor or one list per column.");
                }
                return rows;
            }
            if (column < 0 && columns.skipsUnknownColumns()) {
                p.nextToken();
                p.skipChildren();
                continue;
            }
            if (column < 0) {
                throw InputErrors.unknownColumn("inputs", -1, name, columns);
            }
            if (!builder.markFilled(0, column)) {
                throw InputErrors.repeatedColumn("inputs", -1, name);
            }
            seen++;
            p.nextToken();
            String source = "inputs." + name;
            expect(p, JsonToken.START_ARRAY, source + " must be a list of values, one per row.");
            int row = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (rows >= 0 && row >= rows) {
                    throw InputErrors.invalid(source + " has a value at row " + row + ", but " + firstColumn
                            + " has " + rows + " rows; every column needs one value per row.");
                }
                builder.ensureRow(row);
                Cells.read(p, builder, row, column, "inputs");
                row++;
            }
            if (row == 0) {
                throw InputErrors.emptyBatch(source);
            }
            if (rows >= 0 && row != rows) {
                throw InputErrors.invalid(source + " has " + row + " values but " + firstColumn + " has " + rows
                        + "; every column needs one value per row (row " + row + " lacks column '" + name + "').");
            }
            if (rows < 0) {
                rows = row;
                firstColumn = "inputs." + name;
            }
        }
        if (seen < columns.width()) {
            throw InputErrors.missingColumn("inputs", -1, columns.name(builder.firstMissing(0)), columns);
        }
        return rows;
    }

    private int[] readColumnNames(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, SPLIT_COLUMNS + " must be a list of column names.");
        int[] positions = new int[columns.width()];
        int count = 0;
        int known = 0;
        boolean idNamed = false;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw InputErrors.invalid(SPLIT_COLUMNS + "[" + count + "] is " + PredictJson.describe(p.currentToken())
                        + "; column names are strings.");
            }
            String name = p.getText();
            int column = name.equals(idColumn) ? ID : columns.indexOf(name);
            if (column == ID && idNamed) {
                throw InputErrors.repeatedColumn(SPLIT_COLUMNS, -1, name);
            }
            idNamed |= column == ID;
            if (column == -1 && !columns.skipsUnknownColumns()) {
                throw InputErrors.unknownColumn(SPLIT_COLUMNS, -1, name, columns);
            }
            if (column >= 0 && !builder.markFilled(0, column)) {
                throw InputErrors.repeatedColumn(SPLIT_COLUMNS, -1, name);
            }
            if (count == positions.length) {
                positions = java.util.Arrays.copyOf(positions, positions.length * 2 + 1);
            }
            positions[count++] = column;
            known += column >= 0 ? 1 : 0;
        }
        if (known < columns.width()) {
            throw InputErrors.missingColumn(SPLIT_COLUMNS, -1, columns.name(builder.firstMissing(0)), columns);
        }
        if (idColumn != null && !idNamed) {
            throw InputErrors.invalid(SPLIT_COLUMNS + " has no column '" + InputErrors.shown(idColumn) + "', which "
                    + "the request names as its id column.");
        }
        return count == positions.length ? positions : java.util.Arrays.copyOf(positions, count);
    }

    private int readPositionalRows(JsonParser p, int[] positions, String source) throws IOException {
        int row = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            builder.ensureRow(row);
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw InputErrors.invalid(source + "[" + row + "] is " + PredictJson.describe(p.currentToken())
                        + "; each row is a list of " + positions.length + " values in 'columns' order.");
            }
            readPositionalRow(p, positions, row, source);
            row++;
        }
        if (row == 0) {
            throw InputErrors.emptyBatch(source);
        }
        return row;
    }

    private void readPositionalRow(JsonParser p, int[] positions, int row, String source) throws IOException {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (i == positions.length) {
                throw InputErrors.invalid(source + ": row " + row + " has more than " + positions.length
                        + " values; each row has one value per column.");
            }
            int column = positions[i++];
            if (column == ID) {
                readId(p, row, source);
                continue;
            }
            if (column < 0) {
                p.skipChildren();
                continue;
            }
            Cells.read(p, builder, row, column, source);
        }
        if (i < positions.length) {
            throw InputErrors.invalid(source + ": row " + row + " has " + i + " values, not " + positions.length
                    + "; it lacks " + (positions[i] == ID ? "its id" : positions[i] < 0 ? "value " + i : "column '" + columns.name(positions[i]) + "'")
                    + " and any after it.");
        }
    }

    private void readRecord(JsonParser p, int row, String source) throws IOException {
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (name.equals(idColumn)) {
                p.nextToken();
                readId(p, row, source);
                continue;
            }
            int column = columns.indexOf(name);
            if (column < 0 && columns.skipsUnknownColumns()) {
                p.nextToken();
                p.skipChildren();
                continue;
            }
            if (column < 0) {
                throw InputErrors.unknownColumn(source, row, name, columns);
            }
            if (!builder.markFilled(row, column)) {
                throw InputErrors.repeatedColumn(source, row, name);
            }
            p.nextToken();
            Cells.read(p, builder, row, column, source);
            seen++;
        }
        if (seen < columns.width()) {
            throw InputErrors.missingColumn(source, row, columns.name(builder.firstMissing(row)), columns);
        }
    }

    /** A row's prediction id: a string or an integer, 1 to {@value #MAX_ID_LENGTH} characters. */
    private void readId(JsonParser p, int row, String source) throws IOException {
        String id = id(p, row, source, idColumn);
        if (row >= ids.length) {
            ids = java.util.Arrays.copyOf(ids, Math.max(row + 1, ids.length * 2));
        }
        if (ids[row] != null) {
            throw InputErrors.repeatedColumn(source, row, idColumn);
        }
        ids[row] = id;
    }

    /**
     * The prediction id at the parser: a string or an integer, 1 to {@value #MAX_ID_LENGTH} characters.
     *
     * @throws io.capstan.error.CapstanException {@code INVALID_PARAMETER_VALUE} naming the row and the id column
     */
    static String id(JsonParser p, int row, String source, String idColumn) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT) {
            throw InputErrors.badCell(source, row, idColumn, "is " + PredictJson.describe(token) + "; a prediction"
                    + " id is a string or an integer");
        }
        String id = FieldLimits.checkCharacters(source + "[" + row + "]." + idColumn, p.getText());
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw InputErrors.badCell(source, row, idColumn, "has " + id.length() + " characters; a prediction id"
                    + " has 1 to " + MAX_ID_LENGTH);
        }
        return id;
    }

    private static void expect(JsonParser p, JsonToken token, String message) {
        if (p.currentToken() != token) {
            throw InputErrors.invalid(message + " Got " + PredictJson.describe(p.currentToken()) + ".");
        }
    }
}
