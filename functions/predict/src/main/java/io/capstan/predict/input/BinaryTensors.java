package io.capstan.predict.input;

import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The Open Inference Protocol's binary data extension, as KServe's and Triton's HTTP clients send it (numpy inputs
 * with {@code binary_data=True}): the {@value #HEADER} header gives the length of the JSON header at the start of the
 * body; each input tensor that carries {@code "parameters": {"binary_data_size": n}} (and no {@code data}) takes the
 * next {@code n} bytes after the header, in the order the inputs are listed. Elements are little-endian, row-major;
 * {@code BOOL} is one byte each; {@code BYTES} elements are each a 4-byte little-endian length and that many bytes.
 * Every refusal is {@code INVALID_PARAMETER_VALUE} naming the tensor or the header.
 */
public final class BinaryTensors {
    /** The request and response header holding the JSON header's length in bytes. */
    public static final String HEADER = "Inference-Header-Content-Length";

    private final byte[] body;
    private final int jsonLength;
    private final boolean headerSent;
    private int next;

    private BinaryTensors(byte[] body, int jsonLength, boolean headerSent) {
        this.body = body;
        this.jsonLength = jsonLength;
        this.headerSent = headerSent;
        this.next = jsonLength;
    }

    /**
     * The request's binary sections; without the header, the whole body is JSON and no tensor may be binary.
     *
     * @throws CapstanException when the header is not a length within the body
     */
    public static BinaryTensors of(HttpRequest request) {
        Optional<String> header = request.header(HEADER);
        int length = request.body().length;
        if (header.isPresent()) {
            try {
                length = Integer.parseInt(header.get().trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length < 0 || length > request.body().length) {
                throw CapstanException.invalidParameter(HEADER + " is '" + InputErrors.shown(header.get())
                        + "'; it must be the length in bytes of the JSON at the start of the body, at most the body's "
                        + request.body().length + " bytes.");
            }
        }
        return new BinaryTensors(request.body(), length, header.isPresent());
    }

    /** A body that is JSON alone (priming, batch chunks). */
    public static BinaryTensors none(byte[] body) {
        return new BinaryTensors(body, body.length, false);
    }

    /** The body. */
    public byte[] body() {
        return body;
    }

    /** The length of the JSON header: the body's length when the request has no binary data. */
    public int jsonLength() {
        return jsonLength;
    }

    /**
     * The next {@code size} bytes after the JSON, for {@code tensor}, which must need exactly {@code expected} bytes
     * (-1: any, for BYTES elements, whose size the data says).
     */
    public ByteBuffer take(String tensor, long size, long expected) {
        if (!headerSent) {
            throw CapstanException.invalidParameter(tensor + " sets binary_data_size but the request has no "
                    + HEADER + " header; send it with the JSON's length in bytes, the tensors' bytes after the JSON.");
        }
        if (expected >= 0 && size != expected) {
            throw CapstanException.invalidParameter(tensor + " has binary_data_size " + size + "; its shape and"
                    + " datatype need " + expected + " bytes.");
        }
        if (size < 0 || size > body.length - next) {
            throw CapstanException.invalidParameter(tensor + " has binary_data_size " + size + " but only "
                    + (body.length - next) + " bytes of binary data are left in the body.");
        }
        ByteBuffer slice = ByteBuffer.wrap(body, next, (int) size).slice().order(ByteOrder.LITTLE_ENDIAN);
        next += (int) size;
        return slice;
    }

    /**
     * @throws CapstanException when bytes after the JSON were not taken by any tensor
     */
    public void finish() {
        if (next != body.length) {
            throw CapstanException.invalidParameter("The body holds " + (body.length - next) + " bytes after the"
                    + " tensors' binary data; the inputs' binary_data_size values add up to " + (next - jsonLength)
                    + ".");
        }
    }

    /** The bytes one element of {@code datatype} takes; -1 for BYTES (each element says its length), 0 if unknown. */
    public static int elementBytes(String datatype) {
        return switch (datatype) {
            case "BOOL", "INT8", "UINT8" -> 1;
            case "INT16", "UINT16", "FP16", "BF16" -> 2;
            case "INT32", "UINT32", "FP32" -> 4;
            case "INT64", "UINT64", "FP64" -> 8;
            case "BYTES" -> -1;
            default -> 0;
        };
    }

    /**
     * Reads {@code count} BYTES elements: each a 4-byte little-endian length, then that many bytes of UTF-8.
     *
     * @throws CapstanException when the lengths do not fill the tensor's bytes exactly
     */
    public static String[] strings(ByteBuffer data, long count, String tensor) {
        String[] values = new String[(int) count];
        for (int i = 0; i < values.length; i++) {
            if (data.remaining() < Integer.BYTES) {
                throw CapstanException.invalidParameter(tensor + "'s binary data ends at element " + i + " of "
                        + count + "; each BYTES element is a 4-byte length, then its bytes.");
            }
            int length = data.getInt();
            if (length < 0 || length > data.remaining()) {
                throw CapstanException.invalidParameter(tensor + "'s BYTES element " + i + " says " + length
                        + " bytes but " + data.remaining() + " are left.");
            }
            values[i] = new String(data.array(), data.arrayOffset() + data.position(), length,
                    StandardCharsets.UTF_8);
            data.position(data.position() + length);
        }
        if (data.hasRemaining()) {
            throw CapstanException.invalidParameter(tensor + " has " + data.remaining() + " bytes of binary data after"
                    + " its " + count + " BYTES elements.");
        }
        return values;
    }

    /**
     * Element {@code i} of a numeric tensor's binary data as a double (exact for every type but 64-bit integers, which
     * are rounded to the nearest double; UINT64 read as unsigned).
     */
    public static double number(ByteBuffer data, String datatype, int i) {
        return switch (datatype) {
            case "FP32" -> data.getFloat(i * 4);
            case "FP64" -> data.getDouble(i * 8);
            case "FP16" -> halfToFloat(data.getShort(i * 2));
            case "BF16" -> Float.intBitsToFloat((data.getShort(i * 2) & 0xffff) << 16);
            case "INT8" -> data.get(i);
            case "UINT8", "BOOL" -> data.get(i) & 0xff;
            case "INT16" -> data.getShort(i * 2);
            case "UINT16" -> data.getShort(i * 2) & 0xffff;
            case "INT32" -> data.getInt(i * 4);
            case "UINT32" -> data.getInt(i * 4) & 0xffffffffL;
            case "INT64" -> data.getLong(i * 8);
            case "UINT64" -> Double.parseDouble(Long.toUnsignedString(data.getLong(i * 8)));
            default -> throw new IllegalArgumentException(datatype);
        };
    }

    /** IEEE 754 half precision to float (Java 17 has no {@code Float.float16ToFloat}). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
