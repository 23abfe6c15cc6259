package io.capstan.predict.tensor;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.GraphValue;
import io.capstan.model.OnnxGraph;
import io.capstan.predict.onnx.ElementType;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime inputs for a request, made as MLflow's {@code _OnnxModelWrapper.predict} makes them: a data frame
 * feeds a one-input graph all its columns as {@code [rows, columns]}, and a graph of several inputs each input the
 * column of its name; named arrays feed the inputs of their names; one array feeds a graph's only input. Each array is
 * converted to its input's element type (float, double, int64, int32, int16, int8, uint8, bool, string), refusing what
 * would change a value, and its shape is checked against the graph's (a frame's column is reshaped to its input's rank,
 * {@code [rows]} to {@code [rows, 1]}). Closing the feeds closes the tensors.
 */
final class OnnxFeeds implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();

    private OnnxFeeds() {
    }

    Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the input and what is wrong with it
     */
    static OnnxFeeds of(PyfuncInput input, OnnxGraph graph, OrtEnvironment environment) {
        List<GraphValue> inputs = graph.inputs();
        OnnxFeeds feeds = new OnnxFeeds();
        try {
            if (input instanceof PyfuncInput.Frame frame) {
                if (inputs.size() == 1) {
                    NdArray whole = frame.columns().size() == 1 && frame.data().get(0).rank() > 1
                            ? frame.data().get(0) : Frames.matrix(frame);
                    feeds.add(inputs.get(0), fit(whole, inputs.get(0)), environment);
                } else {
                    for (GraphValue value : inputs) {
                        int column = frame.indexOf(value.name());
                        if (column < 0) {
                            throw CapstanException.invalidParameter("The model takes inputs " + graph.inputNames()
                                    + ", one per data frame column; the data frame has no column '" + value.name()
                                    + "' (it has " + frame.columns() + ").");
                        }
                        feeds.add(value, fit(frame.data().get(column), value), environment);
                    }
                }
            } else if (input instanceof PyfuncInput.Tensors named) {
                return of(named.arrays(), graph, environment, feeds);
            } else {
                NdArray array = ((PyfuncInput.Tensor) input).array();
                if (inputs.size() != 1) {
                    throw CapstanException.invalidParameter("Unable to map numpy array input to the expected model"
                            + " input. Numpy arrays can only be used as input for MLflow ONNX models that have a single"
                            + " input. This model requires " + inputs.size() + " inputs. Please pass in data as either"
                            + " a dictionary or a DataFrame with the following tensors: " + graph.inputNames() + ".");
                }
                feeds.add(inputs.get(0), array, environment);
            }
            return feeds;
        } catch (RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    /** Named arrays feed the inputs of their names; one array alone feeds a graph's only input whatever its name. */
    static OnnxFeeds of(Map<String, NdArray> arrays, OnnxGraph graph, OrtEnvironment environment) {
        return of(arrays, graph, environment, new OnnxFeeds());
    }

    private static OnnxFeeds of(Map<String, NdArray> arrays, OnnxGraph graph, OrtEnvironment environment,
                                OnnxFeeds feeds) {
        try {
            List<GraphValue> inputs = graph.inputs();
            for (String name : arrays.keySet()) {
                if (graph.input(name).isEmpty() && !(arrays.size() == 1 && inputs.size() == 1)) {
                    throw CapstanException.invalidParameter("The model has no input '" + shown(name) + "'; it takes "
                            + graph.inputNames() + ".");
                }
            }
            for (GraphValue value : inputs) {
                NdArray array = arrays.size() == 1 && inputs.size() == 1 ? arrays.values().iterator().next()
                        : arrays.get(value.name());
                if (array == null) {
                    throw CapstanException.invalidParameter("The request lacks input '" + value.name() + "'; the"
                            + " model takes " + graph.inputNames() + ".");
                }
                feeds.add(value, array, environment);
            }
            return feeds;
        } catch (RuntimeException e) {
            feeds.close();
            throw e;
        }
    }

    /** A frame's column (or the frame) reshaped to its input's rank when the elements per row agree. */
    private static NdArray fit(NdArray array, GraphValue input) {
        if (array.rank() == input.rank() || input.kind() != GraphValue.Kind.TENSOR || input.rank() == 0) {
            return array;
        }
        long perRow = 1;
        for (int i = 1; i < array.rank(); i++) {
            perRow *= array.dim(i);
        }
        long[] target = new long[input.rank()];
        target[0] = array.dim(0);
        long inputPerRow = 1;
        for (int i = 1; i < input.rank(); i++) {
            if (input.dim(i) < 0) {
                return array; // an open dimension after the first: nothing to reshape to
            }
            target[i] = input.dim(i);
            inputPerRow *= input.dim(i);
        }
        return inputPerRow == perRow ? array.reshape(target) : array;
    }

    private void add(GraphValue input, NdArray array, OrtEnvironment environment) {
        if (input.kind() != GraphValue.Kind.TENSOR) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "The model's input '" + input.name() + "' is not a"
                    + " tensor; the predict function feeds tensors only.");
        }
        ElementType type = ElementType.ofOnnxName(input.elementType()).orElse(null);
        if (type == null || type == ElementType.FLOAT16 || type == ElementType.BFLOAT16) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "The model's input '" + input.name() + "' takes "
                    + input.elementType() + " values, which the predict function cannot feed.");
        }
        checkShape(input, array);
        try {
            tensors.put(input.name(), tensor(input.name(), type, array, environment));
        } catch (OrtException e) {
            throw CapstanException.invalidParameter("Input '" + input.name() + "' cannot be made a tensor: "
                    + e.getMessage());
        }
    }

    private static void checkShape(GraphValue input, NdArray array) {
        boolean fits = array.rank() == input.rank();
        for (int i = 0; fits && i < input.rank(); i++) {
            fits = input.dim(i) < 0 || input.dim(i) == array.dim(i);
        }
        if (!fits) {
            throw CapstanException.invalidParameter("Input '" + input.name() + "' has shape " + array.shapeText()
                    + " but the model takes " + input.shape() + " (-1: any size).");
        }
        if (array.size() == 0) {
            throw CapstanException.invalidParameter("Input '" + input.name() + "' holds no values (shape "
                    + array.shapeText() + "); send at least one row.");
        }
    }

    private static OnnxTensor tensor(String name, ElementType type, NdArray array, OrtEnvironment environment)
            throws OrtException {
        Scalars values = array.values();
        long[] shape = array.shape();
        int n = values.size();
        Elements elements = new Elements(name, type, values, array);
        return switch (type) {
            case FLOAT -> {
                float[] data = new float[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (float) elements.floating(i);
                }
                yield OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), shape);
            }
            case DOUBLE -> {
                double[] data = new double[n];
                for (int i = 0; i < n; i++) {
                    data[i] = elements.floating(i);
                }
                yield OnnxTensor.createTensor(environment, DoubleBuffer.wrap(data), shape);
            }
            case INT64 -> {
                long[] data = new long[n];
                for (int i = 0; i < n; i++) {
                    data[i] = elements.integer(i);
                }
                yield OnnxTensor.createTensor(environment, LongBuffer.wrap(data), shape);
            }
            case INT32 -> {
                int[] data = new int[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (int) elements.integer(i);
                }
                yield OnnxTensor.createTensor(environment, IntBuffer.wrap(data), shape);
            }
            case INT16 -> {
                short[] data = new short[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (short) elements.integer(i);
                }
                yield OnnxTensor.createTensor(environment, ShortBuffer.wrap(data), shape);
            }
            case INT8, UINT8 -> {
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (byte) elements.integer(i);
                }
                yield OnnxTensor.createTensor(environment, ByteBuffer.wrap(data), shape, type == ElementType.INT8
                        ? OnnxJavaType.INT8 : OnnxJavaType.UINT8);
            }
            case BOOL -> {
                byte[] data = new byte[n];
                for (int i = 0; i < n; i++) {
                    data[i] = (byte) (elements.bool(i) ? 1 : 0);
                }
                yield OnnxTensor.createTensor(environment, ByteBuffer.wrap(data), shape, OnnxJavaType.BOOL);
            }
            case STRING -> {
                String[] data = new String[n];
                for (int i = 0; i < n; i++) {
                    data[i] = elements.string(i);
                }
                yield OnnxTensor.createTensor(environment, data, shape);
            }
            default -> throw new IllegalStateException("no feed for " + type);
        };
    }

    /** Element conversion to an input's type, refusing what would change a value, naming the element. */
    private record Elements(String input, ElementType type, Scalars values, NdArray array) {

        double floating(int i) {
            byte kind = values.kind(i);
            if (kind == Scalars.INT || kind == Scalars.FLOAT || kind == Scalars.NULL) {
                return values.number(i);
            }
            throw refused(i, "is not a number");
        }

        long integer(int i) {
            byte kind = values.kind(i);
            long value;
            if (kind == Scalars.INT) {
                value = values.integer(i);
            } else if (kind == Scalars.FLOAT && values.floating(i) == Math.rint(values.floating(i))
                    && Math.abs(values.floating(i)) < 0x1p63) {
                value = (long) values.floating(i);
            } else {
                throw refused(i, kind == Scalars.FLOAT ? "is not an integer" : "is not a number");
            }
            if (value < type.minValue() || value > type.maxValue()) {
                throw refused(i, "is beyond " + type.onnxName() + " range (" + type.minValue() + " to "
                        + type.maxValue() + ")");
            }
            return value;
        }

        boolean bool(int i) {
            if (values.kind(i) != Scalars.BOOL) {
                throw refused(i, "is not a boolean (true or false)");
            }
            return values.bool(i);
        }

        String string(int i) {
            if (values.kind(i) != Scalars.STRING) {
                throw refused(i, "is not a string");
            }
            return values.string(i);
        }

        private CapstanException refused(int i, String problem) {
            long perRow = array.rank() <= 1 ? 1 : array.size() / Math.max(1, array.dim(0));
            String where = array.rank() == 0 ? "" : " at row " + (i / perRow) + (perRow == 1 ? "" : " (element " + i
                    + ")");
            return CapstanException.invalidParameter("Input '" + input + "' takes " + type.onnxName() + " values: "
                    + values.show(i) + where + " " + problem + ".");
        }
    }

    private static String shown(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
        tensors.clear();
    }
}
