package io.capstan.predict.tensor;

import java.util.Objects;

/**
 * A parsed MLflow scoring request on the tensor path.
 *
 * @param input  the data, as MLflow's scoring server hands it to the model before schema enforcement
 * @param format the input format used: {@code dataframe_split}, {@code dataframe_records}, {@code instances} or
 *               {@code inputs}
 * @param params the request's {@code params} as JSON bytes; null when it has none
 */
record PyfuncRequest(PyfuncInput input, String format, byte[] params) {
    PyfuncRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(format, "format");
    }
}
