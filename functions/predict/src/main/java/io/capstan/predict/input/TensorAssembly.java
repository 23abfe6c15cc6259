package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.model.ModelCard.TensorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * Places the tensors of one infer request into a feature matrix: either a single {@code [N, F]} tensor, or one
 * {@code [N]} / {@code [N, 1]} tensor per feature column, all with the same N.
 */
final class TensorAssembly implements AutoCloseable {
    private static final Set<String> NUMERIC_TYPES = Set.of("FP16", "BF16", "FP32", "FP64", "INT8", "INT16", "INT32",
            "INT64", "UINT8", "UINT16", "UINT32", "UINT64", "BYTES");
    /** The "column" of the single [N, F] tensor; {@link FeatureColumns#indexOf} answers -1 for an unknown name. */
    private static final int FULL = -2;
    /** The most dimensions a shape may list; one of rank 3 or 4 is refused naming its shape (the matrix takes 1 or 2). */
    private static final int MAX_RANK = 4;

    private final FeatureMatrices matrices;
    private final FeatureColumns columns;
    private final String inputTensor;
    private final String idColumn;
    private final BinaryTensors binary;
    private final byte[] body;
    private String[] ids;
    private FeatureMatrixBuilder builder;
    private int rows = -1;
    private String firstTensor;
    private boolean full;
    private int columnTensors;

    TensorAssembly(FeatureMatrices matrices, FeatureColumns columns, String inputTensor, String idColumn,
                   BinaryTensors binary) {
        this.matrices = matrices;
        this.columns = columns;
        this.inputTensor = inputTensor;
        this.idColumn = idColumn;
        this.binary = binary;
        this.body = binary.body();
    }

    /** Reads one tensor object, the parser on its START_OBJECT. */
    void readTensor(JsonParser p, int index) throws IOException {
        String name = null;
        long[] shape = null;
        String datatype = null;
        long dataStart = -1;
        long dataEnd = -1;
        long binarySize = -1;
        boolean placed = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = OipRequestFields.text(p, "inputs[" + index + "].name");
                case "shape" -> shape = OipRequestFields.readShape(p, name == null ? "inputs[" + index + "]" : name,
                        MAX_RANK);
                case "datatype" -> datatype = OipRequestFields.text(p, "inputs[" + index + "].datatype");
                case "parameters" -> binarySize = OipRequestFields.readParameters(p, index);
                case "data" -> {
                    if (binarySize >= 0) {
                        throw bothDataAndBinary(index);
                    }
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw InputErrors.invalid("inputs[" + index + "].data must be a list of values.");
                    }
                    if (name != null && shape != null && !name.equals(idColumn)) {
                        place(p, name, shape);
                        placed = true;
                    } else {
                        dataStart = p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        dataEnd = p.currentLocation().getByteOffset();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null || shape == null || datatype == null) {
            throw InputErrors.invalid("inputs[" + index + "] lacks '" + (name == null ? "name" : shape == null
                    ? "shape" : "datatype") + "'; every tensor has name, shape, datatype and data.");
        }
        if (binarySize >= 0) {
            if (placed || dataStart >= 0) {
                throw bothDataAndBinary(index);
            }
            readBinary(name, shape, datatype, binarySize);
            return;
        }
        if (name.equals(idColumn)) {
            if (ids != null) {
                throw InputErrors.repeatedColumn("The infer request", -1, name);
            }
            readIds(name, shape, datatype, dataStart, dataEnd);
            return;
        }
        if (!NUMERIC_TYPES.contains(datatype)) {
            throw InputErrors.invalid("Input '" + name + "' has datatype " + InputErrors.shown(datatype) + "; the model"
                    + " takes numbers: send FP32 (or another numeric type, or BYTES holding decimal numbers).");
        }
        if (!placed && dataStart < 0) {
            throw InputErrors.invalid("Input '" + name + "' has no 'data'.");
        }
        if (!placed) {
            try (JsonParser replay = PredictJson.FACTORY.createParser(body, (int) dataStart,
                    (int) (dataEnd - dataStart))) {
                replay.nextToken();
                place(replay, name, shape);
            }
        }
    }

    FeatureMatrix finish() {
        if (builder == null) {
            throw InputErrors.invalid("The infer request has no feature tensor; send one tensor '" + inputTensor
                    + "' of shape [N, " + columns.width() + "] or one tensor per feature column.");
        }
        if (idColumn != null && ids == null) {
            throw InputErrors.invalid("The infer request has no input '" + InputErrors.shown(idColumn) + "', which "
                    + "X-Capstan-Id-Column names; send the rows' prediction ids as a BYTES tensor of shape [N].");
        }
        if (ids != null && rows >= 0 && ids.length != rows) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(idColumn) + "' has " + ids.length
                    + " ids but '" + firstTensor + "' has " + rows + " rows; send one id per row.");
        }
        if (!full && columnTensors < columns.width()) {
            throw InputErrors.missingColumn("The infer request", -1, columns.name(builder.firstMissing(0)), columns);
        }
        return builder.finish(rows);
    }

    /** The rows' prediction ids from the id column; null when the request was read without one. */
    String[] ids() {
        return ids;
    }

    /** Reads the id column's tensor: BYTES or integers, shape [N] or [N, 1], flat or nested. */
    private void readIds(String name, long[] shape, String datatype, long dataStart, long dataEnd)
            throws IOException {
        checkIdShape(name, shape, datatype);
        if (dataStart < 0) {
            throw InputErrors.invalid("Input '" + InputErrors.shown(name) + "' has no 'data'.");
        }
        String[] read = new String[(int) shape[0]];
        int next = 0;
        try (JsonParser p = PredictJson.FACTORY.createParser(body, (int) dataStart, (int) (dataEnd - dataStart))) {
            p.nextToken();
            int depth = 0;
            for (JsonToken token = p.currentToken(); token != null; token = p.nextToken()) {
                if (token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_ARRAY) {
                    if (--depth == 0) {
                        break;
                    }
                } else {
                    if (next == read.length) {
                        throw InputErrors.invalid("The id column '" + InputErrors.shown(name) + "' has more than "
                                + read.length + " values; shape " + Arrays.toString(shape) + " needs "
                                + read.length + ".");
                    }
                    read[next] = RowReader.id(p, next, "inputs", name);
                    next++;
                }
            }
        }
        if (next != read.length) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(name) + "' has " + next + " values; shape "
                    + Arrays.toString(shape) + " needs " + read.length + ".");
        }
        ids = read;
    }

    private void checkIdShape(String name, long[] shape, String datatype) {
        if (!datatype.equals("BYTES") && !datatype.matches("U?INT(8|16|32|64)")) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(name) + "' has datatype "
                    + InputErrors.shown(datatype) + "; prediction ids are BYTES (strings) or integers.");
        }
        if (!(shape.length == 1 || (shape.length == 2 && shape[1] == 1)) || shape[0] < 1
                || shape[0] > matrices.limits().maxRows()) {
            throw InputErrors.invalid("The id column '" + InputErrors.shown(name) + "' has shape "
                    + Arrays.toString(shape) + "; it has shape [N] or [N, 1], one id per row.");
        }
    }

    private static RuntimeException bothDataAndBinary(int index) {
        return InputErrors.invalid("inputs[" + index + "] has both 'data' and parameters.binary_data_size; send its"
                + " values one way.");
    }

    /** A tensor sent as binary data: the id column, or a feature tensor placed straight from its bytes. */
    private void readBinary(String name, long[] shape, String datatype, long size) {
        String source = "Input '" + InputErrors.shown(name) + "'";
        int elementBytes = BinaryTensors.elementBytes(datatype);
        if (name.equals(idColumn)) {
            if (ids != null) {
                throw InputErrors.repeatedColumn("The infer request", -1, name);
            }
            checkIdShape(name, shape, datatype);
            ByteBuffer data = binary.take(source, size, elementBytes < 0 ? -1 : shape[0] * elementBytes);
            String[] read = new String[(int) shape[0]];
            if (elementBytes < 0) {
                read = BinaryTensors.strings(data, shape[0], source);
            } else {
                for (int i = 0; i < read.length; i++) {
                    read[i] = datatype.equals("UINT64") ? Long.toUnsignedString(data.getLong(i * 8))
                            : datatype.equals("INT64") ? Long.toString(data.getLong(i * 8))
                            : Long.toString((long) BinaryTensors.number(data, datatype, i));
                }
            }
            ids = read;
            return;
        }
        if (elementBytes <= 0 || datatype.equals("BOOL")) {
            throw InputErrors.invalid(source + " has datatype " + InputErrors.shown(datatype) + " as binary data; the"
                    + " model takes numbers: send FP32 (or another numeric type).");
        }
        int column = begin(name, shape);
        long count = column == FULL ? shape[0] * shape[1] : shape[0];
        ByteBuffer data = binary.take(source, size, count * elementBytes);
        TensorType type = columns.type();
        boolean sameType = (type == TensorType.FLOAT && datatype.equals("FP32"))
                || (type == TensorType.DOUBLE && datatype.equals("FP64"))
                || (type == TensorType.INT64 && datatype.equals("INT64"));
        if (column == FULL && sameType) {
            builder.copyRows(data, (int) shape[0]);
            if (type != TensorType.INT64) {
                checkFinite(source, column);
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            int row = column == FULL ? (int) (i / shape[1]) : i;
            int col = column == FULL ? (int) (i % shape[1]) : column;
            switch (type) {
                case FLOAT -> {
                    double value = BinaryTensors.number(data, datatype, i);
                    float narrowed = (float) value;
                    if (Double.isFinite(value) && Float.isInfinite(narrowed)) {
                        throw InputErrors.badCell(source, row, columns.name(col), value + " is beyond float range"
                                + " (about ±3.4e38), the model's input type.");
                    }
                    builder.putFloat(row, col, narrowed);
                }
                case DOUBLE -> builder.putDouble(row, col, BinaryTensors.number(data, datatype, i));
                case INT64 -> {
                    long value;
                    if (datatype.equals("INT64") || datatype.equals("UINT64")) {
                        value = data.getLong(i * 8);
                        if (datatype.equals("UINT64") && value < 0) {
                            throw InputErrors.badCell(source, row, columns.name(col), Long.toUnsignedString(value)
                                    + " is beyond int64 range, the model's input type.");
                        }
                    } else {
                        double number = BinaryTensors.number(data, datatype, i);
                        value = (long) number;
                        if (value != number || Math.abs(number) >= 0x1p63) {
                            throw InputErrors.badCell(source, row, columns.name(col), number + " is not an integer"
                                    + " within int64 range; the model takes int64 values.");
                        }
                    }
                    builder.putLong(row, col, value);
                }
            }
        }
        if (type != TensorType.INT64) {
            checkFinite(source, column);
        }
    }

    /**
     * NaN and the infinities among the values of the tensor just placed ({@code column}: FULL, or its column), by
     * JSON's rules ({@link Cells#nonFinite}): NaN is a missing value where the columns take them, refused otherwise.
     */
    private void checkFinite(String source, int column) {
        int bad = builder.firstNonFinite(rows, column == FULL ? -1 : column, columns.acceptsMissingValues());
        if (bad >= 0) {
            int row = bad / columns.width();
            int col = bad % columns.width();
            Cells.nonFinite(Double.toString(builder.get(row, col)), builder, row, col, source);
        }
    }

    @Override
    public void close() {
        if (builder != null) {
            builder.close();
        }
    }

    /**
     * Places a feature tensor's data, the parser on its START_ARRAY: straight from the body's bytes where
     * {@link NumericArrayScanner} takes it, else token by token.
     */
    private void place(JsonParser p, String name, long[] shape) throws IOException {
        int column = begin(name, shape);
        long count = column == FULL ? shape[0] * shape[1] : shape[0];
        int rowLength = shape.length == 2 ? (int) shape[1] : 0;
        if (p instanceof ResumableJsonParser resumable
                && NumericArrayScanner.readTensor(resumable, builder, count, column == FULL ? -1 : column, rowLength)) {
            PredictJson.expectEnd(p);
            return;
        }
        new TensorData(p, shape, column, "Input '" + name + "'").read();
    }

    /**
     * Checks a feature tensor's name and shape against the request so far, makes room for its rows and marks its
     * column; returns the column, or FULL for the model's input tensor.
     */
    private int begin(String name, long[] shape) {
        int column = name.equals(inputTensor) ? FULL : columns.indexOf(name);
        if (column == -1) {
            throw InputErrors.invalid("Input '" + InputErrors.shown(name) + "' is neither the model's input tensor '"
                    + inputTensor + "' nor one of its feature columns. " + InputErrors.expected(columns));
        }
        checkShape(name, shape, column);
        int n = (int) shape[0];
        if (firstTensor == null) {
            firstTensor = name;
            full = column == FULL;
            rows = n;
            builder = matrices.builder(columns, n);
            builder.ensureRow(n - 1);
        } else if (full || column == FULL) {
            throw InputErrors.invalid("The request sends '" + firstTensor + "' and '" + name + "'; send either one"
                    + " tensor '" + inputTensor + "' of shape [N, " + columns.width() + "] or one tensor per feature"
                    + " column, not both.");
        } else if (n != rows) {
            throw InputErrors.invalid("Input '" + name + "' has " + n + " rows but '" + firstTensor + "' has " + rows
                    + "; every column tensor needs the same number of rows.");
        }
        if (column != FULL) {
            if (!builder.markFilled(0, column)) {
                throw InputErrors.repeatedColumn("The infer request", -1, name);
            }
            columnTensors++;
        }
        return column;
    }

    private void checkShape(String name, long[] shape, int column) {
        boolean fits = column == FULL
                ? shape.length == 2 && shape[1] == columns.width()
                : shape.length == 1 || (shape.length == 2 && shape[1] == 1);
        if (!fits) {
            throw InputErrors.invalid("Input '" + name + "' has shape " + Arrays.toString(shape) + "; "
                    + (column == FULL ? "the model's input tensor has shape [N, " + columns.width() + "]."
                    : "a column tensor has shape [N] or [N, 1]."));
        }
        if (shape[0] == 0) {
            throw InputErrors.emptyBatch("Input '" + name + "'");
        }
        if (shape[0] > matrices.limits().maxRows()) {
            throw InputErrors.tooManyRows(matrices.limits().maxRows());
        }
    }

    /** Walks one tensor's data, flat or nested to the tensor's rank, placing element k in row-major order. */
    private final class TensorData {
        private final JsonParser p;
        private final long[] shape;
        private final int column;
        private final String source;
        private final long count;
        private long next;

        TensorData(JsonParser p, long[] shape, int column, String source) {
            this.p = p;
            this.shape = shape;
            this.column = column;
            this.source = source;
            this.count = column == FULL ? shape[0] * shape[1] : shape[0];
        }

        void read() throws IOException {
            readLevel(0);
            if (next != count) {
                throw InputErrors.invalid(source + " has " + next + " values; shape " + Arrays.toString(shape)
                        + " needs " + count + ".");
            }
        }

        private void readLevel(int depth) throws IOException {
            int elements = 0;
            boolean nested = false;
            boolean scalars = false;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.START_ARRAY) {
                    nested = true;
                    if (depth + 1 >= shape.length) {
                        throw InputErrors.invalid(source + " nests its data deeper than its shape "
                                + Arrays.toString(shape) + ".");
                    }
                    readLevel(depth + 1);
                } else {
                    scalars = true;
                    put();
                }
                elements++;
            }
            if (nested && scalars) {
                throw InputErrors.invalid(source + " mixes lists and values at one level of its data; send it flat or"
                        + " nested as its shape " + Arrays.toString(shape) + ".");
            }
            if ((depth > 0 || nested) && elements != shape[depth]) {
                long row = column == FULL ? Math.max(0, next - 1) / shape[1] : next;
                throw InputErrors.invalid(source + " has a list of " + elements + " where its shape "
                        + Arrays.toString(shape) + " needs " + shape[depth] + " (at row " + row + ").");
            }
        }

        private void put() throws IOException {
            if (next >= count) {
                throw InputErrors.invalid(source + " has more than the " + count + " values its shape "
                        + Arrays.toString(shape) + " holds.");
            }
            int row;
            int col;
            if (column == FULL) {
                row = (int) (next / shape[1]);
                col = (int) (next % shape[1]);
            } else {
                row = (int) next;
                col = column;
            }
            Cells.read(p, builder, row, col, source);
            next++;
        }
    }
}
