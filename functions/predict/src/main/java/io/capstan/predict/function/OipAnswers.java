package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.OnnxGraph;
import io.capstan.predict.onnx.ElementType;
import io.capstan.predict.onnx.ModelOutputs;
import io.capstan.predict.onnx.OutputValue;
import io.capstan.predict.onnx.Scores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open Inference Protocol output tensors for the graph's outputs: a tensor with its datatype ({@code BYTES} for
 * strings) and shape, flat; a ZipMap as an {@code FP32} matrix {@code [rows, labels]}, its labels listed in the
 * output's {@code parameters}; for a tabular model, its probabilities in the card's label order and its label output
 * as a {@code [rows]} tensor.
 */
final class OipAnswers {
    private OipAnswers() {
    }

    /** The names the request asked for, checked against {@code available}; all of them when it named none. */
    static List<String> requested(List<String> requested, List<String> available) {
        for (String name : requested) {
            if (!available.contains(name)) {
                String last = available.get(available.size() - 1);
                throw CapstanException.invalidParameter("Output '" + name + "' does not exist; the model answers "
                        + (available.size() == 1 ? last : String.join(", ", available.subList(0, available.size() - 1))
                        + " and " + last) + ".");
            }
        }
        return requested.isEmpty() ? available : requested;
    }

    /** The outputs of a run on named tensors. */
    static void outputs(JsonGenerator json, ModelOutputs outputs, List<String> names, BinaryOutputs binary)
            throws IOException {
        json.writeArrayFieldStart("outputs");
        for (String name : names) {
            OutputValue value = outputs.require(name);
            if (value instanceof OutputValue.Maps maps) {
                maps(json, maps, binary);
            } else {
                tensor(json, (OutputValue.Tensor) value, false, binary);
            }
        }
        json.writeEndArray();
    }

    /** The outputs of a tabular model of an MLflow flavor: the graph's, with its probabilities in the card's order. */
    static void tabularOutputs(JsonGenerator json, ModelCard card, ModelOutputs outputs, Scores scores,
                               List<String> names, BinaryOutputs binary) throws IOException {
        json.writeArrayFieldStart("outputs");
        for (String name : names) {
            OutputValue value = outputs.require(name);
            if (card.task() == ModelCard.Task.CLASSIFICATION && name.equals(card.outputTensor())) {
                probabilities(json, name, scores, card.outputLabels(), binary);
            } else if (value instanceof OutputValue.Maps maps) {
                maps(json, maps, binary);
            } else {
                tensor(json, (OutputValue.Tensor) value, name.equals(card.labelOutput()), binary);
            }
        }
        json.writeEndArray();
    }

    /** A classifier's probabilities as {@code FP32 [rows, labels]}, the labels in {@code parameters} unless null. */
    static void probabilities(JsonGenerator json, String name, Scores scores, List<String> labels,
                              BinaryOutputs binary) throws IOException {
        openTensor(json, name, "FP32", scores.rows(), scores.labels());
        if (binary.asks(name)) {
            binary.floats(json, Arrays.copyOf(scores.probabilities(), scores.rows() * scores.labels()), labels);
            json.writeEndObject();
            return;
        }
        json.writeArrayFieldStart("data");
        for (float probability : scores.probabilities()) {
            json.writeNumber(probability);
        }
        json.writeEndArray();
        if (labels != null) {
            writeLabels(json, labels);
        }
        json.writeEndObject();
    }

    /** Opens a tensor object with its name, datatype and shape; the caller writes the rest and closes it. */
    static void openTensor(JsonGenerator json, String name, String datatype, long... shape) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("datatype", datatype);
        json.writeArrayFieldStart("shape");
        for (long dim : shape) {
            json.writeNumber(dim);
        }
        json.writeEndArray();
    }

    private static void tensor(JsonGenerator json, OutputValue.Tensor tensor, boolean column, BinaryOutputs binary)
            throws IOException {
        // a label output [N, 1] answers as [N]
        openTensor(json, tensor.name(), tensor.type().oipName(), column ? new long[]{tensor.size()} : tensor.shape());
        if (binary.asks(tensor.name())) {
            binary.tensor(json, tensor);
            json.writeEndObject();
            return;
        }
        json.writeArrayFieldStart("data");
        for (int i = 0; i < tensor.size(); i++) {
            OutputJson.element(json, tensor, i);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A ZipMap as {@code FP32 [rows, labels]}, labels in the first row's order. */
    private static void maps(JsonGenerator json, OutputValue.Maps maps, BinaryOutputs binary) throws IOException {
        Set<Object> keys = new LinkedHashSet<>();
        for (Map<Object, Number> row : maps.rowMaps()) {
            keys.addAll(row.keySet());
        }
        openTensor(json, maps.name(), "FP32", maps.rows(), keys.size());
        float[] values = new float[maps.rowMaps().size() * keys.size()];
        int next = 0;
        for (Map<Object, Number> row : maps.rowMaps()) {
            for (Object key : keys) {
                Number value = row.get(key);
                values[next++] = value == null ? Float.NaN : value.floatValue();
            }
        }
        List<String> labels = new ArrayList<>();
        keys.forEach(k -> labels.add(String.valueOf(k)));
        if (binary.asks(maps.name())) {
            binary.floats(json, values, labels);
        } else {
            json.writeArrayFieldStart("data");
            for (float value : values) {
                json.writeNumber(value);
            }
            json.writeEndArray();
            writeLabels(json, labels);
        }
        json.writeEndObject();
    }

    private static void writeLabels(JsonGenerator json, List<String> labels) throws IOException {
        json.writeObjectFieldStart("parameters");
        json.writeArrayFieldStart("labels");
        for (String label : labels) {
            json.writeString(label);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A graph value as model metadata's tensor: name, datatype and shape, -1 where the graph leaves it open. */
    static void metadataTensor(JsonGenerator json, GraphValue value, ModelCard card) throws IOException {
        if (value.kind() == GraphValue.Kind.SEQUENCE_OF_MAPS) {
            openTensor(json, value.name(), "FP32", -1, card != null && value.name().equals(card.outputTensor())
                    ? card.outputLabels().size() : -1);
        } else {
            boolean column = card != null && value.name().equals(card.labelOutput());
            long[] shape = new long[column ? Math.min(1, value.rank()) : value.rank()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = value.dim(i);
            }
            openTensor(json, value.name(), ElementType.ofOnnxName(value.elementType()).map(ElementType::oipName)
                    .orElse(value.elementType().toUpperCase(java.util.Locale.ROOT)), shape);
        }
        json.writeEndObject();
    }

    /** A tensor of shape {@code [-1]} (columns 0) or {@code [-1, columns]}: -1 marks the batch dimension. */
    static void metadataTensor(JsonGenerator json, String name, String datatype, int columns) throws IOException {
        openTensor(json, name, datatype, columns > 0 ? new long[]{-1, columns} : new long[]{-1});
        json.writeEndObject();
    }

    /** Whether a graph lists anything (a manifest of release 1 has an empty graph). */
    static boolean describes(OnnxGraph graph) {
        return !graph.inputs().isEmpty() && !graph.outputs().isEmpty();
    }
}
