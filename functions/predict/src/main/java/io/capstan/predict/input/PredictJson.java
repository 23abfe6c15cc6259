package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;

/**
 * The predict function's one JSON factory (immutable and thread-safe): streaming reads and writes only; and how both
 * request paths name a JSON token, and a body that does not parse, in their messages.
 */
public final class PredictJson {
    /**
     * Reads {@code NaN} and {@code Infinity} literals (Python's {@code json.dumps} writes them) so that they are
     * refused with the row and column named rather than as malformed JSON; parses and writes floats with the fast
     * (Schubfach / FastDoubleParser) routines.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    /**
     * The factory the request readers parse bodies with: {@link #FACTORY}'s settings, its parsers able to hand a
     * numeric array to {@link NumericArrayScanner} and resume after it.
     */
    static final JsonFactory SCANNING_FACTORY = new ResumableJsonParser.Factory(
            (JsonFactoryBuilder) new JsonFactoryBuilder()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER));

    private PredictJson() {
    }

    /** Reads the END_ARRAY of the array a {@link NumericArrayScanner} has just read. */
    static void expectEnd(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw new IllegalStateException("the parser did not resume at the end of a scanned array");
        }
    }

    /** What a token is, in words for a message ({@code a list}, {@code a string}, …); {@code nothing} for null. */
    public static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    /** {@code MALFORMED_REQUEST} naming where the body stops being JSON and why. */
    public static CapstanException malformed(JsonProcessingException e) {
        String location = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return new CapstanException(ErrorCode.MALFORMED_REQUEST, "The request body is not valid JSON" + location + ": "
                + e.getOriginalMessage());
    }
}
