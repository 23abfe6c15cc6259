package io.capstan.predict.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;

/** The predict function's one JSON factory (immutable and thread-safe): streaming reads and writes only. */
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

    private PredictJson() {
    }
}
