package io.capstan.predict.input;

import io.capstan.error.CapstanException;
import java.util.List;

/** The messages of bad input: each names where (field, column, row) and what to send instead. */
final class InputErrors {
    private static final int MAX_SHOWN_VALUE = 40;

    private InputErrors() {
    }

    static CapstanException invalid(String message) {
        return CapstanException.invalidParameter(message);
    }

    static CapstanException badCell(String source, int row, String column, String problem) {
        return invalid(source + ": row " + row + ", column '" + column + "': " + problem);
    }

    static CapstanException unknownColumn(String source, int row, String column, FeatureColumns columns) {
        return invalid(source + (row < 0 ? "" : ": row " + row) + " has column '" + shown(column)
                + "', which the model does not take. " + expected(columns));
    }

    static CapstanException missingColumn(String source, int row, String column, FeatureColumns columns) {
        return invalid(source + (row < 0 ? " lacks" : ": row " + row + " lacks") + " column '" + column + "'"
                + (row < 0 ? " (every row needs it). " : ". ") + expected(columns));
    }

    static CapstanException repeatedColumn(String source, int row, String column) {
        return invalid(source + (row < 0 ? "" : ": row " + row) + " names column '" + column + "' twice.");
    }

    static CapstanException tooManyRows(int maxRows) {
        return invalid("The batch has more than " + maxRows + " rows, the limit per request; split it into smaller"
                + " requests.");
    }

    static CapstanException emptyBatch(String source) {
        return invalid(source + " holds no rows; send at least one row.");
    }

    static String expected(FeatureColumns columns) {
        List<String> names = columns.names();
        return "The model takes " + names.size() + " column" + (names.size() == 1 ? "" : "s") + ": "
                + String.join(", ", names) + ".";
    }

    static String shown(String value) {
        return value.length() <= MAX_SHOWN_VALUE ? value : value.substring(0, MAX_SHOWN_VALUE) + "...";
    }
}
