package io.capstan.drift;

/** Whether a column is a model input (counted in dataset drift) or a model output (prediction drift). */
public enum ColumnRole {
    FEATURE,
    PREDICTION
}
