package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.input.OipRequestFields;
import io.capstan.predict.onnx.OutputValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary half of a response that the request asked to carry outputs as binary data (the Open Inference Protocol's
 * binary data extension): each such output's tensor object gets {@code "parameters": {"binary_data_size": n}}
 * instead of {@code data}, its elements appended here little-endian in the order the outputs are written (BYTES
 * elements each with a 4-byte length), and the response is the JSON followed by these bytes, its length in
 * {@value BinaryTensors#HEADER}.
 */
final class BinaryOutputs {
    private final OipRequestFields.BinaryOutputs asked;
    /** The binary data written so far; null until an output goes as binary. */
    private ByteArrayOutputStream bytes;

    BinaryOutputs(OipRequestFields.BinaryOutputs asked) {
        this.asked = asked;
    }

    /** Whether {@code output} goes as binary data. */
    boolean asks(String output) {
        return asked.asks(output);
    }

    /** Whether any output went as binary data. */
    boolean any() {
        return bytes != null;
    }

    /** Appends the binary data written so far to {@code out}. */
    void writeTo(ByteArrayOutputStream out) {
        if (bytes != null) {
            try {
                bytes.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory", e);
            }
        }
    }

    /** Appends {@code values} as FP32 and writes the tensor's parameters: the size, and the labels unless null. */
    void floats(JsonGenerator json, float[] values, List<String> labels) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        append(json, buffer.array(), labels);
    }

    /** Appends {@code values} as BYTES elements and writes the tensor's parameters. */
    void strings(JsonGenerator json, List<String> values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(values.size() * 12);
        ByteBuffer length = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.write(length.putInt(0, utf8.length).array(), 0, Integer.BYTES);
            out.write(utf8, 0, utf8.length);
        }
        append(json, out.toByteArray(), null);
    }

    /** Appends a tensor output's elements in its own datatype and writes its parameters. */
    void tensor(JsonGenerator json, OutputValue.Tensor tensor) throws IOException {
        Object data = tensor.data();
        if (data instanceof String[] strings) {
            strings(json, List.of(strings));
            return;
        }
        int size = tensor.size();
        int width = data instanceof double[] || data instanceof long[] ? 8 : data instanceof float[]
                || data instanceof int[] ? 4 : data instanceof short[] ? 2 : 1;
        ByteBuffer buffer = ByteBuffer.allocate(size * width).order(ByteOrder.LITTLE_ENDIAN);
        if (data instanceof float[] f) {
            buffer.asFloatBuffer().put(f);
        } else if (data instanceof double[] d) {
            buffer.asDoubleBuffer().put(d);
        } else if (data instanceof long[] l) {
            buffer.asLongBuffer().put(l);
        } else if (data instanceof int[] n) {
            buffer.asIntBuffer().put(n);
        } else if (data instanceof short[] s) {
            buffer.asShortBuffer().put(s);
        } else if (data instanceof byte[] b) {
            buffer.put(b);
        } else {
            boolean[] z = (boolean[]) data;
            for (int i = 0; i < z.length; i++) {
                buffer.put(i, (byte) (z[i] ? 1 : 0));
            }
        }
        append(json, buffer.array(), null);
    }

    private void append(JsonGenerator json, byte[] data, List<String> labels) throws IOException {
        json.writeObjectFieldStart("parameters");
        json.writeNumberField("binary_data_size", data.length);
        if (labels != null) {
            json.writeArrayFieldStart("labels");
            for (String label : labels) {
                json.writeString(label);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        if (bytes == null) {
            bytes = new ByteArrayOutputStream(data.length);
        }
        bytes.write(data, 0, data.length);
    }
}
