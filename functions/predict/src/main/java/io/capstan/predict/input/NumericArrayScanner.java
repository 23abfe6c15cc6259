package io.capstan.predict.input;

import io.capstan.model.ModelCard.TensorType;

/**
 * Reads the big numeric array of a request (an infer request's tensor {@code data}, {@code dataframe_split.data})
 * straight from the body's bytes into the feature matrix: no tokens, no text, no boxing. It takes only what it can
 * read exactly as the Jackson path does: the array well formed, its numbers plain JSON numbers that
 * {@link PlainDecimals} converts, its whitespace spaces, tabs and line feeds, its shape as the request says, a float or
 * double matrix. At anything else it gives up, having moved nothing but cells the Jackson path then writes again, and
 * the caller reads the array with the parser, which produces the values or the error it always did. On success the
 * parser is moved to the array's {@code ]}.
 */
final class NumericArrayScanner {
    private final byte[] b;
    private final int end;
    private final boolean forFloat;
    private int pos;
    private int newlines;
    private int lineStart;
    private double value;

    private NumericArrayScanner(ResumableJsonParser parser, boolean forFloat) {
        this.b = parser.body();
        this.end = parser.end();
        this.pos = parser.position();
        this.forFloat = forFloat;
    }

    /**
     * Reads the tensor data whose {@code [} the parser has just opened, {@code count} values in row-major order from
     * cell {@code (0, column)}, flat or nested as rows of {@code rowLength} ({@code count / rowLength} rows; 0 when
     * the shape allows no nesting): a whole tensor ({@code column} -1) fills the matrix cell after cell, a column
     * tensor goes down its column.
     *
     * @return whether the data was read and the parser moved to its {@code ]}
     */
    static boolean readTensor(ResumableJsonParser parser, FeatureMatrixBuilder builder, long count, int column,
                              int rowLength) {
        TensorType type = builder.columns().type();
        if (type == TensorType.INT64 || count <= 0 || count > Integer.MAX_VALUE) {
            return false;
        }
        NumericArrayScanner s = new NumericArrayScanner(parser, type == TensorType.FLOAT);
        int width = builder.columns().width();
        int step = column < 0 ? 1 : width;
        int cell = Math.max(column, 0);
        s.whitespace();
        boolean nested = s.at('[');
        int n = (int) count;
        if (nested && (rowLength <= 0 || n % rowLength != 0)) {
            return false;
        }
        int inRow = nested ? rowLength : n;
        int rows = nested ? n / rowLength : 1;
        for (int r = 0; r < rows; r++) {
            if (nested) {
                if ((r > 0 && !s.comma()) || !s.at('[')) {
                    return false;
                }
                s.pos++;
                s.whitespace();
            }
            for (int i = 0; i < inRow; i++) {
                if ((i > 0 && !s.comma()) || !s.number()) {
                    return false;
                }
                builder.putCell(cell, s.value);
                cell += step;
            }
            if (nested && !s.close()) {
                return false;
            }
        }
        return s.finish(parser);
    }

    /**
     * Reads {@code dataframe_split.data}, whose {@code [} the parser has just opened: at least one row, each a list of
     * exactly {@code positions.length} numbers, value i going to column {@code positions[i]} (every one a feature).
     *
     * @return the number of rows, the parser moved to the data's {@code ]}; -1 when it was not read
     */
    static int readRows(ResumableJsonParser parser, FeatureMatrixBuilder builder, int[] positions) {
        int maxRows = builder.maxRows();
        TensorType type = builder.columns().type();
        if (type == TensorType.INT64 || positions.length == 0) {
            return -1;
        }
        for (int position : positions) {
            if (position < 0) {
                return -1;
            }
        }
        NumericArrayScanner s = new NumericArrayScanner(parser, type == TensorType.FLOAT);
        int width = builder.columns().width();
        int row = 0;
        s.whitespace();
        while (true) {
            if (!s.at('[') || row >= maxRows) {
                return -1;
            }
            s.pos++;
            builder.ensureRow(row);
            s.whitespace();
            for (int i = 0; i < positions.length; i++) {
                if ((i > 0 && !s.comma()) || !s.number()) {
                    return -1;
                }
                builder.putCell(row * width + positions[i], s.value);
            }
            if (!s.close()) {
                return -1;
            }
            row++;
            s.whitespace();
            if (s.pos < s.end && s.b[s.pos] == ',') {
                s.pos++;
                s.whitespace();
                continue;
            }
            return s.finish(parser) ? row : -1;
        }
    }

    /** At the array's {@code ]} (after whitespace): moves the parser there. */
    private boolean finish(ResumableJsonParser parser) {
        whitespace();
        if (pos >= end || b[pos] != ']') {
            return false;
        }
        parser.resumeAt(pos, newlines, lineStart);
        return true;
    }

    private boolean at(char c) {
        return pos < end && b[pos] == c;
    }

    /** Whitespace, then the {@code ]} closing a row. */
    private boolean close() {
        whitespace();
        if (pos >= end || b[pos] != ']') {
            return false;
        }
        pos++;
        return true;
    }

    /** Whitespace, a comma and whitespace. */
    private boolean comma() {
        whitespace();
        if (pos >= end || b[pos] != ',') {
            return false;
        }
        pos++;
        whitespace();
        return true;
    }

    /** Spaces, tabs and line feeds (a carriage return is left for Jackson, which counts lines its own way). */
    private void whitespace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t') {
                pos++;
            } else if (c == '\n') {
                pos++;
                newlines++;
                lineStart = pos;
            } else {
                return;
            }
        }
    }

    /**
     * A JSON number ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}) followed by whitespace, a comma or a
     * {@code ]}, into {@link #value} (the double to narrow to float, when the matrix is float); false for anything
     * else, or a number {@link PlainDecimals} does not convert.
     */
    private boolean number() {
        int i = pos;
        boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        if (i >= end) {
            return false;
        }
        long digits;
        int significant;
        int exponent = 0;
        byte c = b[i];
        if (c == '0') {
            digits = 0;
            significant = 0;
            i++;
        } else if (c >= '1' && c <= '9') {
            digits = c - '0';
            significant = 1;
            for (i++; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
                if (++significant > PlainDecimals.MAX_DIGITS) {
                    return false;
                }
                digits = digits * 10 + (c - '0');
            }
        } else {
            return false;
        }
        if (i < end && b[i] == '.') {
            int fractionStart = ++i;
            for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
                if (digits != 0 || c != '0') {
                    if (++significant > PlainDecimals.MAX_DIGITS) {
                        return false;
                    }
                    digits = digits * 10 + (c - '0');
                }
                exponent--;
            }
            if (i == fractionStart) {
                return false;
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && b[i] == '-';
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                i++;
            }
            int expStart = i;
            int written = 0;
            for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
                if (i - expStart == 4) {
                    return false;
                }
                written = written * 10 + (c - '0');
            }
            if (i == expStart) {
                return false;
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i >= end || !(b[i] == ',' || b[i] == ']' || b[i] == ' ' || b[i] == '\n' || b[i] == '\t')) {
            return false;
        }
        double v = forFloat ? PlainDecimals.toFloatExactly(digits, exponent, negative)
                : PlainDecimals.toDouble(digits, exponent, negative);
        if (v != v) {
            return false;
        }
        value = v;
        pos = i;
        return true;
    }
}
