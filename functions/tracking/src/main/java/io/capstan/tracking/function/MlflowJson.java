package io.capstan.tracking.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.JsonResponses;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

/**
 * MLflow's JSON for tracking entities, as its server writes it: int64 as JSON numbers, doubles that are not
 * finite as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, empty lists left out.
 */
final class MlflowJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MlflowJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ObjectNode experiment(Experiment e) {
        ObjectNode node = object()
                .put("experiment_id", e.experimentId())
                .put("name", e.name())
                .put("artifact_location", e.artifactLocation())
                .put("lifecycle_stage", e.lifecycleStage().wireName())
                .put("last_update_time", e.lastUpdateTime())
                .put("creation_time", e.creationTime());
        JsonResponses.putKeyValues(node, "tags", e.tags());
        return node;
    }

    static ObjectNode run(Run run) {
        ObjectNode node = object();
        node.set("info", runInfo(run.info()));
        ObjectNode data = node.putObject("data");
        if (!run.metrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            run.metrics().stream().sorted(Comparator.comparing(Metric::key)).forEach(m -> metrics.add(metric(m)));
        }
        JsonResponses.putKeyValues(data, "params", run.params());
        JsonResponses.putKeyValues(data, "tags", run.tags());
        ObjectNode inputs = node.putObject("inputs");
        if (!run.inputs().isEmpty()) {
            ArrayNode datasets = inputs.putArray("dataset_inputs");
            run.inputs().forEach(i -> datasets.add(datasetInput(i)));
        }
        return node;
    }

    static ObjectNode runInfo(RunInfo info) {
        ObjectNode node = object()
                .put("run_uuid", info.runId())
                .put("run_id", info.runId())
                .put("run_name", info.runName())
                .put("experiment_id", info.experimentId())
                .put("user_id", info.userId())
                .put("status", info.status().name())
                .put("start_time", info.startTime());
        if (info.endTime() != null) {
            node.put("end_time", info.endTime());
        }
        node.put("artifact_uri", info.artifactUri()).put("lifecycle_stage", info.lifecycleStage().wireName());
        return node;
    }

    static ObjectNode metric(Metric m) {
        ObjectNode node = object().put("key", m.key());
        double v = m.value();
        if (Double.isNaN(v)) {
            node.put("value", "NaN");
        } else if (Double.isInfinite(v)) {
            node.put("value", v > 0 ? "Infinity" : "-Infinity");
        } else {
            node.put("value", v);
        }
        return node.put("timestamp", m.timestamp()).put("step", m.step());
    }

    static ArrayNode metrics(Collection<Metric> metrics) {
        ArrayNode array = NODES.arrayNode();
        metrics.forEach(m -> array.add(metric(m)));
        return array;
    }

    static ObjectNode datasetInput(DatasetInput input) {
        ObjectNode node = object();
        JsonResponses.putKeyValues(node, "tags", input.tags());
        ObjectNode dataset = node.putObject("dataset")
                .put("name", input.dataset().name())
                .put("digest", input.dataset().digest())
                .put("source_type", input.dataset().sourceType())
                .put("source", input.dataset().source());
        if (input.dataset().schema() != null) {
            dataset.put("schema", input.dataset().schema());
        }
        if (input.dataset().profile() != null) {
            dataset.put("profile", input.dataset().profile());
        }
        return node;
    }
}
