package io.capstan.pipeline.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph the console draws is the definition in step-functions/, every transition included. */
class PipelineDefinitionTest {

    @Test
    void graph_isTheDeployedDefinitionsStatesAndTransitions() throws Exception {
        JsonNode definition = new ObjectMapper().readTree(Path.of("../../step-functions/retrain.asl.json").toFile());

        JsonNode graph = PipelineDefinition.graph();

        assertThat(graph.path("start_at").asText()).isEqualTo(definition.path("StartAt").asText());
        List<String> names = new ArrayList<>();
        graph.path("states").forEach(state -> names.add(state.path("name").asText()));
        assertThat(names).containsExactlyElementsOf(() -> definition.path("States").fieldNames());
        graph.path("states").forEach(state -> state.path("next").forEach(next ->
                assertThat(names).as("a transition of " + state.path("name").asText()).contains(next.asText())));
        JsonNode decision = graph.path("states").get(names.indexOf("GateDecision"));
        assertThat(decision.path("type").asText()).isEqualTo("Choice");
        assertThat(decision.path("next")).extracting(JsonNode::asText).contains("Reject", "Promote");
        assertThat(graph.path("states").get(names.indexOf("Done")).path("end").asBoolean()).isTrue();
    }
}
