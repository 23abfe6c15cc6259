/**
 * Request bodies to feature matrices: the MLflow scoring formats and Open Inference Protocol v2 tensors are read token
 * by token with Jackson's streaming parser, columns are matched to the model card's features by name and written
 * straight into a pooled direct {@link java.nio.FloatBuffer} in the card's order, ready for ONNX Runtime. Every bad
 * input fails with {@code INVALID_PARAMETER_VALUE} (or {@code MALFORMED_REQUEST} for JSON that does not parse) naming
 * the field, the column and the row; rows count from 0, as a pandas index does. Null, NaN and infinite values are
 * refused: Capstan's models have no missing-value handling, so the caller imputes or drops such rows first.
 */
package io.capstan.predict.input;
