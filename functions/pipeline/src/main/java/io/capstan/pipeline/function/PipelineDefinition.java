package io.capstan.pipeline.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The retraining state machine as a graph, for the console: each state's name, type and the states it can go to
 * (Next, a Choice's branches and default, a Catch's target), in the definition's order. Read once from the
 * definition the build copies into this jar ({@value #RESOURCE}, the same file CDK deploys and the local interpreter
 * runs: step-functions/retrain.asl.json).
 */
final class PipelineDefinition {
    static final String RESOURCE = "capstan/retrain.asl.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile ObjectNode graph;

    private PipelineDefinition() {
    }

    /** {@code {"start_at": …, "states": [{"name", "type", "next": […], "end": true|false}, …]}}. */
    static ObjectNode graph() {
        ObjectNode known = graph;
        if (known == null) {
            known = read();
            graph = known;
        }
        return known.deepCopy();
    }

    private static ObjectNode read() {
        try (InputStream in = PipelineDefinition.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the pipeline function's jar");
            }
            JsonNode definition = JSON.readTree(in);
            ObjectNode out = JSON.createObjectNode().put("start_at", definition.path("StartAt").asText());
            ArrayNode states = out.putArray("states");
            for (Map.Entry<String, JsonNode> state : definition.path("States").properties()) {
                JsonNode body = state.getValue();
                Set<String> next = new LinkedHashSet<>();
                addText(next, body.path("Next"));
                body.path("Choices").forEach(choice -> addText(next, choice.path("Next")));
                addText(next, body.path("Default"));
                body.path("Catch").forEach(handler -> addText(next, handler.path("Next")));
                String type = body.path("Type").asText();
                ObjectNode node = states.addObject().put("name", state.getKey()).put("type", type)
                        .put("end", body.path("End").asBoolean(false) || type.equals("Succeed") || type.equals("Fail"));
                next.forEach(node.putArray("next")::add);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static void addText(Set<String> into, JsonNode value) {
        if (value.isTextual()) {
            into.add(value.asText());
        }
    }
}
