package io.capstan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an ONNX file declares: its graph's inputs and outputs in graph order, the operator sets it imports and who
 * wrote it.
 *
 * @param inputs      the graph's inputs, initializers excluded, in declaration order
 * @param outputs     the graph's outputs, in declaration order
 * @param opsets      operator set versions by domain ({@code ""} is ONNX's default domain, {@code ai.onnx.ml} the
 *                    classical-ML operators)
 * @param producer    the producer name and version as the file records them ({@code skl2onnx 1.16.0}); empty when
 *                    the file names none
 * @param sizeBytes   the file's size
 */
public record OnnxGraph(List<GraphValue> inputs, List<GraphValue> outputs, Map<String, Long> opsets,
                        String producer, long sizeBytes) {

    public OnnxGraph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        opsets = Map.copyOf(opsets);
        producer = Objects.requireNonNullElse(producer, "");
    }

    public Optional<GraphValue> input(String name) {
        return inputs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public Optional<GraphValue> output(String name) {
        return outputs.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    public List<String> inputNames() {
        return inputs.stream().map(GraphValue::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(GraphValue::name).toList();
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        inputs.forEach(v -> node.withArray("inputs").add(v.toJson()));
        outputs.forEach(v -> node.withArray("outputs").add(v.toJson()));
        ObjectNode sets = node.putObject("opsets");
        opsets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sets.put(e.getKey(), e.getValue()));
        node.put("producer", producer);
        node.put("size_bytes", sizeBytes);
        return node;
    }

    static OnnxGraph fromJson(JsonNode node) {
        List<GraphValue> in = new ArrayList<>();
        node.path("inputs").forEach(v -> in.add(GraphValue.fromJson(v)));
        List<GraphValue> out = new ArrayList<>();
        node.path("outputs").forEach(v -> out.add(GraphValue.fromJson(v)));
        Map<String, Long> sets = new LinkedHashMap<>();
        node.path("opsets").fields().forEachRemaining(e -> sets.put(e.getKey(), e.getValue().asLong()));
        return new OnnxGraph(in, out, sets, node.path("producer").asText(""), node.path("size_bytes").asLong());
    }
}
