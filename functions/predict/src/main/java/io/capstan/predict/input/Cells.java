package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;

/**
 * Reads one feature value, coerced to the card's float input type: a JSON number, or a string holding a decimal
 * number. Null, NaN, infinities, booleans, nested values and numbers beyond float range are refused, naming the row
 * and column. Numbers are parsed from the parser's character buffer with Jackson's correctly rounding
 * FastDoubleParser, so a cell costs no allocation.
 */
final class Cells {
    private Cells() {
    }

    static float read(JsonParser p, FeatureColumns columns, int column, int row, String source) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            if (p.isNaN()) {
                throw notFinite(p.getText(), columns, column, row, source);
            }
            return finite(parse(p), p, columns, column, row, source);
        }
        if (token == JsonToken.VALUE_STRING) {
            return readNumericString(p, columns, column, row, source);
        }
        String problem = switch (token) {
            case VALUE_NULL -> "null is not accepted; Capstan models take no missing values, so impute or drop the"
                    + " row first.";
            case VALUE_TRUE, VALUE_FALSE -> p.getText() + " is not a number; send a JSON number.";
            case START_ARRAY, START_OBJECT -> "a nested " + (token == JsonToken.START_ARRAY ? "array" : "object")
                    + " is not a value; send one number per cell.";
            default -> "unexpected " + token + "; send a JSON number.";
        };
        throw InputErrors.badCell(source, row, columns.name(column), problem);
    }

    private static float readNumericString(JsonParser p, FeatureColumns columns, int column, int row, String source)
            throws IOException {
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
        for (int i = start; i < end && decimal; i++) {
            char c = chars[i];
            decimal = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
        }
        if (!decimal) {
            String text = new String(chars, start, end - start);
            if (text.equalsIgnoreCase("nan") || text.toLowerCase(java.util.Locale.ROOT).matches("[+-]?(inf|infinity)")) {
                throw notFinite(text, columns, column, row, source);
            }
            throw InputErrors.badCell(source, row, columns.name(column), "\"" + InputErrors.shown(p.getText())
                    + "\" is not a number; send a JSON number or a numeric string.");
        }
        try {
            return finite(NumberInput.parseFloat(chars, start, end - start, true), p, columns, column, row, source);
        } catch (NumberFormatException e) {
            throw InputErrors.badCell(source, row, columns.name(column), "\"" + InputErrors.shown(p.getText())
                    + "\" is not a number; send a JSON number or a numeric string.");
        }
    }

    private static float parse(JsonParser p) throws IOException {
        return NumberInput.parseFloat(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), true);
    }

    private static float finite(float value, JsonParser p, FeatureColumns columns, int column, int row,
                                String source) throws IOException {
        if (Float.isInfinite(value)) {
            throw InputErrors.badCell(source, row, columns.name(column), InputErrors.shown(p.getText())
                    + " is beyond float range (about ±3.4e38), the model's input type.");
        }
        return value;
    }

    private static RuntimeException notFinite(String text, FeatureColumns columns, int column, int row,
                                              String source) {
        return InputErrors.badCell(source, row, columns.name(column), text + " is not accepted; Capstan models take"
                + " finite values only, so impute or drop the row first.");
    }
}
