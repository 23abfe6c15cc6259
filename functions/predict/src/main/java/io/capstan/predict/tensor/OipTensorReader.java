package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.error.CapstanException;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.input.OipRequestFields;
import io.capstan.predict.input.PredictJson;
import io.capstan.predict.onnx.ElementType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an Open Inference Protocol v2 infer request as named tensors: each input's {@code name}, {@code shape},
 * {@code datatype} and {@code data} (flat or nested, row-major). The elements must be of the datatype's kind (numbers
 * for FP and INT types, booleans for BOOL, strings for BYTES) and as many as the shape holds. A tensor may come as
 * binary data instead of {@code data} ({@link BinaryTensors}).
 */
final class OipTensorReader {
    private static final int MAX_RANK = 8;

    private final long maxElements;

    OipTensorReader(long maxElements) {
        this.maxElements = maxElements;
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the tensor and what is wrong with it,
     *                          {@code PAYLOAD_TOO_LARGE} beyond the value limit, {@code MALFORMED_REQUEST} for bad JSON
     */
    OipTensorRequest read(BinaryTensors body) {
        try (JsonParser p = PredictJson.FACTORY.createParser(body.body(), 0, body.jsonLength())) {
            JsonArrays arrays = new JsonArrays(p, maxElements);
            Map<String, NdArray> inputs = new LinkedHashMap<>();
            OipRequestFields fields = OipRequestFields.read(p, (parser, index) -> {
                if (index == 0) {
                    inputs.clear(); // a repeated 'inputs' field replaces the one before it
                }
                Tensor tensor = readTensor(parser, arrays, body, index);
                if (inputs.put(tensor.name(), tensor.array()) != null) {
                    throw CapstanException.invalidParameter("The infer request sends input '" + tensor.name()
                            + "' twice.");
                }
            });
            if (!fields.hasInputs()) {
                throw CapstanException.invalidParameter("The infer request has no 'inputs'; send one tensor per model"
                        + " input: {\"name\", \"shape\", \"datatype\", \"data\"}.");
            }
            body.finish();
            return new OipTensorRequest(fields.id(), inputs, fields.outputs(), fields.binaryOutputs());
        } catch (JsonProcessingException e) {
            throw PredictJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading an in-memory body", e);
        }
    }

    private record Tensor(String name, NdArray array) {
    }

    private Tensor readTensor(JsonParser p, JsonArrays arrays, BinaryTensors binary, int index) throws IOException {
        String name = null;
        long[] shape = null;
        String datatype = null;
        NdArray data = null;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = OipRequestFields.text(p, "inputs[" + index + "].name");
                case "datatype" -> datatype = OipRequestFields.text(p, "inputs[" + index + "].datatype");
                case "shape" -> shape = readShape(p, "inputs[" + index + "]");
                case "parameters" -> binarySize = OipRequestFields.readParameters(p, index);
                case "data" -> {
                    if (shape != null && NdArray.count(shape) > maxElements) {
                        throw JsonArrays.tooLarge(maxElements);
                    }
                    data = arrays.readArray(name == null ? "inputs[" + index + "].data" : "Input '" + name + "'");
                }
                default -> p.skipChildren();
            }
        }
        if (binarySize >= 0 && name != null && shape != null && datatype != null) {
            if (data != null) {
                throw CapstanException.invalidParameter("inputs[" + index + "] has both 'data' and"
                        + " parameters.binary_data_size; send its values one way.");
            }
            data = fromBinary(binary, name, shape, datatype, binarySize);
        }
        if (name == null || shape == null || datatype == null || data == null) {
            throw CapstanException.invalidParameter("inputs[" + index + "] lacks '" + (name == null ? "name"
                    : shape == null ? "shape" : datatype == null ? "datatype" : "data") + "'; every tensor has name,"
                    + " shape, datatype and data.");
        }
        ElementType type = ElementType.ofOipName(datatype).orElse(null);
        if (type == null) {
            throw unknownDatatype(name, datatype);
        }
        if (data.size() != NdArray.count(shape)) {
            throw CapstanException.invalidParameter("Input '" + name + "' has " + data.size() + " values; shape "
                    + NdArray.text(shape) + " needs " + NdArray.count(shape) + ".");
        }
        if (data.rank() > 1 && !Arrays.equals(data.shape(), shape)) {
            throw CapstanException.invalidParameter("Input '" + name + "' nests its data as " + data.shapeText()
                    + " but its shape is " + NdArray.text(shape) + "; send the data flat or nested as its shape.");
        }
        checkKinds(name, type, data);
        return new Tensor(name, data.reshape(shape));
    }

    private static CapstanException unknownDatatype(String name, String datatype) {
        return CapstanException.invalidParameter("Input '" + name + "' has datatype '" + datatype + "'; the"
                + " protocol's datatypes are BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64 and BYTES.");
    }

    /** A tensor's binary data as values of its datatype's kind (converted to the model's type later, as JSON's). */
    private NdArray fromBinary(BinaryTensors binary, String name, long[] shape, String datatype, long size) {
        String source = "Input '" + name + "'";
        long count = NdArray.count(shape);
        if (count > maxElements) {
            throw JsonArrays.tooLarge(maxElements);
        }
        int elementBytes = BinaryTensors.elementBytes(datatype);
        if (elementBytes == 0) {
            throw unknownDatatype(name, datatype);
        }
        ByteBuffer bytes = binary.take(source, size, elementBytes < 0 ? -1 : count * elementBytes);
        Scalars values = new Scalars((int) Math.max(1, count));
        if (elementBytes < 0) {
            for (String text : BinaryTensors.strings(bytes, count, source)) {
                values.addString(text);
            }
        } else {
            for (int i = 0; i < count; i++) {
                switch (datatype) {
                    case "BOOL" -> values.addBool(bytes.get(i) != 0);
                    case "FP16", "BF16", "FP32", "FP64" -> values.addFloat(BinaryTensors.number(bytes, datatype, i));
                    case "INT64" -> values.addInt(bytes.getLong(i * 8));
                    case "UINT64" -> {
                        long value = bytes.getLong(i * 8);
                        if (value < 0) {
                            throw CapstanException.invalidParameter(source + " element " + i + " is "
                                    + Long.toUnsignedString(value) + ", beyond the int64 range models take.");
                        }
                        values.addInt(value);
                    }
                    default -> values.addInt((long) BinaryTensors.number(bytes, datatype, i));
                }
            }
        }
        return new NdArray(new long[] {count}, values);
    }

    /** The elements must be of the datatype's kind; numbers are converted to the model's type later. */
    private static void checkKinds(String name, ElementType type, NdArray data) {
        Scalars values = data.values();
        int allowed = switch (type) {
            case STRING -> 1 << Scalars.STRING;
            case BOOL -> 1 << Scalars.BOOL;
            default -> type.isInteger() ? 1 << Scalars.INT : (1 << Scalars.INT) | (1 << Scalars.FLOAT);
        };
        if ((values.kindMask() & ~allowed) == 0) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if ((allowed & (1 << values.kind(i))) == 0) {
                String expected = switch (type) {
                    case STRING -> "a string";
                    case BOOL -> "true or false";
                    default -> type.isInteger() ? "an integer" : "a number";
                };
                throw CapstanException.invalidParameter("Input '" + name + "' has datatype " + type.oipName()
                        + " but its element " + i + " is " + values.show(i) + ", not " + expected + ".");
            }
        }
    }

    /** The shape, at most {@value #MAX_RANK} dimensions, refused when it holds more values than a long counts. */
    private static long[] readShape(JsonParser p, String tensor) throws IOException {
        long[] shape = OipRequestFields.readShape(p, tensor, MAX_RANK);
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
        } catch (ArithmeticException e) {
            throw CapstanException.invalidParameter("The shape of " + tensor + " holds more values than a tensor can.");
        }
        return shape;
    }
}
