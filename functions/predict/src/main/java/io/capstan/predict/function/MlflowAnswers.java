package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.predict.onnx.ModelOutputs;
import io.capstan.predict.onnx.OutputValue;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code predictions} of an MLflow-flavored model, as MLflow's pyfunc scoring server writes those of an
 * {@code mlflow.onnx} model. A model fed a data frame answers one record per row, keyed by the output names in graph
 * order ({@code _OnnxModelWrapper} builds a data frame of the outputs): a row that holds one value is that value, a
 * ZipMap row an object of label to probability, and a row of several values a list of them (where MLflow flattens the
 * output and then fails, or answers one record per value, Capstan answers the row's list). A model fed tensors answers
 * an object of output name to the output as nested lists (ZipMap outputs as lists of objects).
 */
final class MlflowAnswers {
    private MlflowAnswers() {
    }

    /** {@code "predictions": [records]}; the caller has opened the answer's object. */
    static void records(JsonGenerator json, ModelOutputs outputs, int rows) throws IOException {
        List<OutputValue> values = outputs.values();
        int[] widths = new int[values.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = rowWidth(values.get(i), rows);
        }
        json.writeArrayFieldStart("predictions");
        for (int row = 0; row < rows; row++) {
            json.writeStartObject();
            for (int i = 0; i < widths.length; i++) {
                OutputValue value = values.get(i);
                json.writeFieldName(value.name());
                if (value instanceof OutputValue.Maps maps) {
                    OutputJson.map(json, maps.rowMaps().get(row));
                } else {
                    OutputJson.row(json, (OutputValue.Tensor) value, row, widths[i]);
                }
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** {@code "predictions": {output: nested list}}; the caller has opened the answer's object. */
    static void tensors(JsonGenerator json, ModelOutputs outputs) throws IOException {
        json.writeObjectFieldStart("predictions");
        for (OutputValue value : outputs.values()) {
            json.writeFieldName(value.name());
            if (value instanceof OutputValue.Maps maps) {
                json.writeStartArray();
                for (Map<Object, Number> map : maps.rowMaps()) {
                    OutputJson.map(json, map);
                }
                json.writeEndArray();
            } else {
                OutputJson.nested(json, (OutputValue.Tensor) value);
            }
        }
        json.writeEndObject();
    }

    /** Elements per row of an output, which must hold as many rows as the frame (or one value per row, flattened). */
    private static int rowWidth(OutputValue value, int rows) {
        if (value instanceof OutputValue.Maps) {
            if (value.rows() != rows) {
                throw notPerRow(value.name(), value.rows() + " maps", rows);
            }
            return 1;
        }
        OutputValue.Tensor tensor = (OutputValue.Tensor) value;
        if (tensor.size() == rows) {
            return 1; // [rows], [rows, 1], or any shape of one value per row, as MLflow's reshape(-1) reads it
        }
        if (tensor.shape().length == 0 || tensor.rows() != rows) {
            throw notPerRow(value.name(), "shape " + Arrays.toString(tensor.shape()), rows);
        }
        return tensor.rowWidth();
    }

    private static CapstanException notPerRow(String output, String what, int rows) {
        return new CapstanException(ErrorCode.INVALID_STATE, "The model's output '" + output + "' has " + what
                + ", not one row per input row (" + rows + "), so it cannot be answered as records; send the data"
                + " as 'inputs' (tensors) to get every output as it is.");
    }
}
