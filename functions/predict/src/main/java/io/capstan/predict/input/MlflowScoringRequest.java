package io.capstan.predict.input;

import java.util.Objects;

/**
 * A parsed MLflow scoring request on the tabular path.
 *
 * @param features the rows, in the card's column order; the caller closes it
 * @param format   the input format the rows came in: {@code dataframe_split}, {@code dataframe_records},
 *                 {@code instances} or {@code inputs}
 * @param params   the request's {@code params} as JSON bytes; null when it has none
 * @param ids      each row's prediction id from the request's id column; null when it named none
 */
public record MlflowScoringRequest(FeatureMatrix features, String format, byte[] params, String[] ids) {
    public MlflowScoringRequest {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(format, "format");
    }

    /** Whether the rows came as a data frame ({@code dataframe_split} or {@code dataframe_records}). */
    public boolean isDataFrame() {
        return format.startsWith("dataframe_");
    }
}
