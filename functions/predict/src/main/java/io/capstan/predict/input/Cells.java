package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.capstan.model.ModelCard.TensorType;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads one feature value into a builder, coerced to the card's input type: a JSON number, or a string holding a
 * decimal number (an integer for int64 inputs). Booleans, nested values and numbers beyond the type's range are
 * refused, naming the row and column; null, NaN and infinities are refused too, except that a lenient reading (MLflow
 * flavors) takes null and NaN as a missing value in a float or double column. Numbers are parsed from the parser's
 * character buffer, so a cell costs no allocation: plain decimals by {@link PlainDecimals}' exact fast path, the rest
 * with Jackson's correctly rounding FastDoubleParser.
 */
final class Cells {
    private Cells() {
    }

    static void read(JsonParser p, FeatureMatrixBuilder builder, int row, int column, String source)
            throws IOException {
        FeatureColumns columns = builder.columns();
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            if (p.isNaN()) {
                nonFinite(p.getText(), builder, row, column, source);
                return;
            }
            put(p, p.getTextCharacters(), p.getTextOffset(), p.getTextOffset() + p.getTextLength(), token
                    == JsonToken.VALUE_NUMBER_INT, builder, row, column, source);
            return;
        }
        if (token == JsonToken.VALUE_STRING) {
            readNumericString(p, builder, row, column, source);
            return;
        }
        if (token == JsonToken.VALUE_NULL && columns.acceptsMissingValues()) {
            builder.putMissing(row, column);
            return;
        }
        String problem = switch (token) {
            case VALUE_NULL -> "null is not accepted; " + (columns.type() == TensorType.INT64
                    ? "the model takes int64 values, which have no missing value" : "Capstan models take no missing"
                    + " values") + ", so impute or drop the row first.";
            case VALUE_TRUE, VALUE_FALSE -> p.getText() + " is not a number; send a JSON number.";
            case START_ARRAY, START_OBJECT -> "a nested " + (token == JsonToken.START_ARRAY ? "array" : "object")
                    + " is not a value; send one number per cell.";
            default -> "unexpected " + token + "; send a JSON number.";
        };
        throw InputErrors.badCell(source, row, columns.name(column), problem);
    }

    private static void readNumericString(JsonParser p, FeatureMatrixBuilder builder, int row, int column,
                                          String source) throws IOException {
        char[] chars = p.getTextCharacters();
        int start = p.getTextOffset();
        int end = start + p.getTextLength();
        while (start < end && Character.isWhitespace(chars[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(chars[end - 1])) {
            end--;
        }
        boolean decimal = start < end;
        boolean integral = true;
        for (int i = start; i < end && decimal; i++) {
            char c = chars[i];
            decimal = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            integral &= (c >= '0' && c <= '9') || c == '-' || c == '+';
        }
        if (!decimal) {
            String text = new String(chars, start, end - start);
            if (text.equalsIgnoreCase("nan") || text.toLowerCase(Locale.ROOT).matches("[+-]?(inf|infinity)")) {
                nonFinite(text, builder, row, column, source);
                return;
            }
            throw notANumber(p, builder, row, column, source);
        }
        put(p, chars, start, end, integral, builder, row, column, source);
    }

    private static void put(JsonParser p, char[] chars, int start, int end, boolean integral,
                            FeatureMatrixBuilder builder, int row, int column, String source) throws IOException {
        FeatureColumns columns = builder.columns();
        try {
            switch (columns.type()) {
                case FLOAT -> {
                    double fast = PlainDecimals.parse(chars, start, end, true);
                    float value = fast == fast ? (float) fast : NumberInput.parseFloat(chars, start, end - start, true);
                    if (Float.isInfinite(value)) {
                        throw InputErrors.badCell(source, row, columns.name(column), InputErrors.shown(p.getText())
                                + " is beyond float range (about ±3.4e38), the model's input type.");
                    }
                    builder.putFloat(row, column, value);
                }
                case DOUBLE -> {
                    double fast = PlainDecimals.parse(chars, start, end, false);
                    double value = fast == fast ? fast : NumberInput.parseDouble(chars, start, end - start, true);
                    if (Double.isInfinite(value)) {
                        throw InputErrors.badCell(source, row, columns.name(column), InputErrors.shown(p.getText())
                                + " is beyond double range (about ±1.8e308), the model's input type.");
                    }
                    builder.putDouble(row, column, value);
                }
                case INT64 -> {
                    if (!integral) {
                        throw InputErrors.badCell(source, row, columns.name(column), InputErrors.shown(p.getText())
                                + " is not an integer; the model takes int64 values.");
                    }
                    builder.putLong(row, column, Long.parseLong(new String(chars, start, end - start)));
                }
            }
        } catch (NumberFormatException e) {
            throw columns.type() == TensorType.INT64 && integral
                    ? InputErrors.badCell(source, row, columns.name(column), InputErrors.shown(p.getText())
                    + " is beyond int64 range, the model's input type.")
                    : notANumber(p, builder, row, column, source);
        }
    }

    private static RuntimeException notANumber(JsonParser p, FeatureMatrixBuilder builder, int row, int column,
                                               String source) throws IOException {
        return InputErrors.badCell(source, row, builder.columns().name(column), "\"" + InputErrors.shown(p.getText())
                + "\" is not a number; send a JSON number or a numeric string.");
    }

    /** NaN as a missing value where the columns take them; any other non-finite value refused, naming the cell. */
    static void nonFinite(String text, FeatureMatrixBuilder builder, int row, int column, String source) {
        FeatureColumns columns = builder.columns();
        if (columns.acceptsMissingValues() && text.toLowerCase(Locale.ROOT).equals("nan")) {
            builder.putMissing(row, column);
            return;
        }
        throw InputErrors.badCell(source, row, columns.name(column), text + " is not accepted; "
                + (columns.acceptsMissingValues() ? "a missing value is null or NaN, and the model takes finite values"
                + " otherwise." : "Capstan models take finite values only, so impute or drop the row first."));
    }
}
