package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.predict.onnx.ElementType;
import io.capstan.predict.onnx.OutputValue;
import java.io.IOException;
import java.util.Map;

/** Model outputs written as JSON values: elements, nested lists in a tensor's shape, and ZipMap rows. */
final class OutputJson {
    private OutputJson() {
    }

    /** Element {@code i} as a JSON number, boolean or string. */
    static void element(JsonGenerator json, OutputValue.Tensor tensor, int i) throws IOException {
        Object data = tensor.data();
        if (data instanceof float[] f) {
            json.writeNumber(f[i]);
        } else if (data instanceof double[] d) {
            json.writeNumber(d[i]);
        } else if (data instanceof long[] l) {
            json.writeNumber(l[i]);
        } else if (data instanceof int[] n) {
            json.writeNumber(n[i]);
        } else if (data instanceof short[] s) {
            json.writeNumber(s[i]);
        } else if (data instanceof byte[] b) {
            json.writeNumber(tensor.type() == ElementType.UINT8 ? b[i] & 0xff : b[i]);
        } else if (data instanceof boolean[] z) {
            json.writeBoolean(z[i]);
        } else {
            json.writeString(((String[]) data)[i]);
        }
    }

    /** The whole tensor as nested lists in its shape (a scalar as its one value), as numpy's {@code tolist()}. */
    static void nested(JsonGenerator json, OutputValue.Tensor tensor) throws IOException {
        if (tensor.shape().length == 0) {
            element(json, tensor, 0);
            return;
        }
        nested(json, tensor, 0, 0);
    }

    /** The elements from {@code offset} under dimension {@code dim}, nested; answers the next offset. */
    static int nested(JsonGenerator json, OutputValue.Tensor tensor, int dim, int offset) throws IOException {
        long[] shape = tensor.shape();
        json.writeStartArray();
        int next = offset;
        for (long i = 0; i < shape[dim]; i++) {
            if (dim == shape.length - 1) {
                element(json, tensor, next++);
            } else {
                next = nested(json, tensor, dim + 1, next);
            }
        }
        json.writeEndArray();
        return next;
    }

    /** One row of a tensor: a value when the row holds one, else nested lists in the shape after the first dimension. */
    static void row(JsonGenerator json, OutputValue.Tensor tensor, int row, int rowWidth) throws IOException {
        if (rowWidth == 1) {
            element(json, tensor, row);
        } else if (tensor.shape().length >= 2) {
            nested(json, tensor, 1, row * rowWidth);
        } else {
            json.writeStartArray();
            for (int i = 0; i < rowWidth; i++) {
                element(json, tensor, row * rowWidth + i);
            }
            json.writeEndArray();
        }
    }

    /** A ZipMap row: an object of label (as a string, as Python's json writes an int key) to probability. */
    static void map(JsonGenerator json, Map<Object, Number> map) throws IOException {
        json.writeStartObject();
        for (Map.Entry<Object, Number> entry : map.entrySet()) {
            json.writeFieldName(String.valueOf(entry.getKey()));
            number(json, entry.getValue());
        }
        json.writeEndObject();
    }

    static void number(JsonGenerator json, Number value) throws IOException {
        if (value instanceof Float f) {
            json.writeNumber(f);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else {
            json.writeNumber(value.longValue());
        }
    }
}
