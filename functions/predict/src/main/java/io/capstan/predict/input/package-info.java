/**
 * The tabular path's request reading: the MLflow scoring formats and Open Inference Protocol v2 tensors are read token
 * by token with Jackson's streaming parser (a big array of plain numbers straight from the bytes, by
 * {@link io.capstan.predict.input.NumericArrayScanner}), columns are matched to the model card's features by name and
 * written straight into a pooled direct buffer of the card's input type (float, double or int64) in the card's order, ready for
 * ONNX Runtime. Every bad input fails with {@code INVALID_PARAMETER_VALUE} (or {@code MALFORMED_REQUEST} for JSON that
 * does not parse) naming the field, the column and the row; rows count from 0, as a pandas index does. For Capstan's
 * own models null, NaN, infinite values and unknown columns are refused (the caller imputes or drops such rows first);
 * for models of MLflow flavors, as MLflow's scoring server does, columns the model does not take are ignored and null or
 * NaN in a float or double column is a missing value.
 */
package io.capstan.predict.input;
