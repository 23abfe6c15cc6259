package io.capstan.predict.tensor;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.predict.input.PredictJson;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads JSON values token by token into {@link Scalars}: a scalar, or a nested list that must be rectangular, as numpy
 * requires of {@code np.array(data)}. Every scalar counts against the request's budget, so that a request cannot make
 * the function hold more than {@code maxElements} values.
 */
final class JsonArrays {
    private static final int MAX_RANK = 32;

    private final JsonParser p;
    private final long maxElements;
    private long read;

    JsonArrays(JsonParser p, long maxElements) {
        this.p = p;
        this.maxElements = maxElements;
    }

    /** The value at the current token as an array (a scalar has shape {@code []}). */
    NdArray readArray(String source) throws IOException {
        Scalars values = new Scalars(16);
        long[] shape = readInto(values, source);
        return new NdArray(shape, values);
    }

    /** Appends the value at the current token to {@code into}; answers its shape ({@code []} for a scalar). */
    long[] readInto(Scalars into, String source) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            readScalar(into, source);
            return new long[0];
        }
        long[] dims = new long[MAX_RANK];
        Arrays.fill(dims, -1);
        int[] rank = {-1, 0};
        readList(0, dims, rank, into, source);
        int finalRank = rank[0] >= 0 ? rank[0] : rank[1] + 1;
        return Arrays.copyOf(dims, finalRank);
    }

    private void readList(int depth, long[] dims, int[] rank, Scalars into, String source) throws IOException {
        if (depth >= MAX_RANK) {
            throw CapstanException.invalidParameter(source + " nests lists deeper than " + MAX_RANK
                    + " levels, numpy's limit.");
        }
        rank[1] = Math.max(rank[1], depth);
        long n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                if (rank[0] >= 0 && depth + 1 >= rank[0]) {
                    throw inhomogeneous(source, depth);
                }
                readList(depth + 1, dims, rank, into, source);
            } else {
                if (rank[0] < 0) {
                    if (rank[1] > depth) {
                        throw inhomogeneous(source, depth);
                    }
                    rank[0] = depth + 1;
                } else if (rank[0] != depth + 1) {
                    throw inhomogeneous(source, depth);
                }
                readScalar(into, source);
            }
            n++;
        }
        if (dims[depth] < 0) {
            dims[depth] = n;
        } else if (dims[depth] != n) {
            throw inhomogeneous(source, depth);
        }
    }

    private void readScalar(Scalars into, String source) throws IOException {
        if (++read > maxElements) {
            throw tooLarge(maxElements);
        }
        switch (p.currentToken()) {
            case VALUE_NUMBER_INT -> {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    into.addFloat(p.getDoubleValue());
                } else {
                    into.addInt(p.getLongValue());
                }
            }
            case VALUE_NUMBER_FLOAT -> into.addFloat(p.getDoubleValue());
            case VALUE_STRING -> into.addString(p.getText());
            case VALUE_TRUE -> into.addBool(true);
            case VALUE_FALSE -> into.addBool(false);
            case VALUE_NULL -> into.addNull();
            default -> throw CapstanException.invalidParameter(source + " holds "
                    + PredictJson.describe(p.currentToken()) + " where a value or a list of values belongs.");
        }
    }

    static CapstanException tooLarge(long maxElements) {
        return new CapstanException(ErrorCode.PAYLOAD_TOO_LARGE, "The request holds more than " + maxElements
                + " values, the limit per request; split it into smaller requests.");
    }

    private static CapstanException inhomogeneous(String source, int depth) {
        return CapstanException.invalidParameter(source + " is not a rectangular array: its lists at depth " + depth
                + " differ in length or mix lists and values (numpy: the requested array has an inhomogeneous"
                + " shape).");
    }
}
