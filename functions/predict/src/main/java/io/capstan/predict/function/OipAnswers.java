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
    static void outputs(JsonGenerator json, ModelOutputs outputs, List<String> names) throws IOException {
        json.writeArrayFieldStart("outputs");
        for (String name : names) {
            OutputValue value = outputs.require(name);
            if (value instanceof OutputValue.Maps maps) {
                maps(json, maps);
            } else {
                tensor(json, (OutputValue.Tensor) value, false);
            }
        }
        json.writeEndArray();
    }

    /** The outputs of a tabular model of an MLflow flavor: the graph's, with its probabilities in the card's order. */
    static void tabularOutputs(JsonGenerator json, ModelCard card, ModelOutputs outputs, Scores scores,
                               List<String> names) throws IOException {
        json.writeArrayFieldStart("outputs");
        for (String name : names) {
            OutputValue value = outputs.require(name);
            if (card.task() == ModelCard.Task.CLASSIFICATION && name.equals(card.outputTensor())) {
                probabilities(json, name, scores, card.outputLabels());
            } else if (value instanceof OutputValue.Maps maps) {
                maps(json, maps);
            } else {
                tensor(json, (OutputValue.Tensor) value, name.equals(card.labelOutput()));
            }
        }
        json.writeEndArray();
    }

    /** A classifier's probabilities as {@code FP32 [rows, labels]}, labels in {@code parameters}. */
    static void probabilities(JsonGenerator json, String name, Scores scores, List<String> labels)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("datatype", "FP32");
        json.writeArrayFieldStart("shape");
        json.writeNumber(scores.rows());
        json.writeNumber(scores.labels());
        json.writeEndArray();
        json.writeArrayFieldStart("data");
        for (float probability : scores.probabilities()) {
            json.writeNumber(probability);
        }
        json.writeEndArray();
        writeLabels(json, labels);
        json.writeEndObject();
    }

    private static void tensor(JsonGenerator json, OutputValue.Tensor tensor, boolean column) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", tensor.name());
        json.writeStringField("datatype", tensor.type().oipName());
        json.writeArrayFieldStart("shape");
        if (column) {
            json.writeNumber(tensor.size()); // a label output [N, 1] answers as [N]
        } else {
            for (long dim : tensor.shape()) {
                json.writeNumber(dim);
            }
        }
        json.writeEndArray();
        json.writeArrayFieldStart("data");
        for (int i = 0; i < tensor.size(); i++) {
            OutputJson.element(json, tensor, i);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A ZipMap as {@code FP32 [rows, labels]}, labels in the first row's order. */
    private static void maps(JsonGenerator json, OutputValue.Maps maps) throws IOException {
        Set<Object> keys = new LinkedHashSet<>();
        for (Map<Object, Number> row : maps.rowMaps()) {
            keys.addAll(row.keySet());
        }
        json.writeStartObject();
        json.writeStringField("name", maps.name());
        json.writeStringField("datatype", "FP32");
        json.writeArrayFieldStart("shape");
        json.writeNumber(maps.rows());
        json.writeNumber(keys.size());
        json.writeEndArray();
        json.writeArrayFieldStart("data");
        for (Map<Object, Number> row : maps.rowMaps()) {
            for (Object key : keys) {
                Number value = row.get(key);
                json.writeNumber(value == null ? Float.NaN : value.floatValue());
            }
        }
        json.writeEndArray();
        List<String> labels = new ArrayList<>();
        keys.forEach(k -> labels.add(String.valueOf(k)));
        writeLabels(json, labels);
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
        json.writeStartObject();
        json.writeStringField("name", value.name());
        if (value.kind() == GraphValue.Kind.SEQUENCE_OF_MAPS) {
            json.writeStringField("datatype", "FP32");
            json.writeArrayFieldStart("shape");
            json.writeNumber(-1);
            json.writeNumber(card != null && value.name().equals(card.outputTensor()) ? card.outputLabels().size() : -1);
            json.writeEndArray();
        } else {
            json.writeStringField("datatype", ElementType.ofOnnxName(value.elementType()).map(ElementType::oipName)
                    .orElse(value.elementType().toUpperCase(java.util.Locale.ROOT)));
            json.writeArrayFieldStart("shape");
            boolean column = card != null && value.name().equals(card.labelOutput());
            for (int i = 0; i < (column ? Math.min(1, value.rank()) : value.rank()); i++) {
                json.writeNumber(value.dim(i));
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** Whether a graph lists anything (a manifest of release 1 has an empty graph). */
    static boolean describes(OnnxGraph graph) {
        return !graph.inputs().isEmpty() && !graph.outputs().isEmpty();
    }
}
