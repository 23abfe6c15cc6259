package io.capstan.tracking.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import io.capstan.http.RequestFields;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelMetric;
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
    /**
     * Doubles written with Jackson's Schubfach writer: the shortest text that reads back as the same double, several
     * times faster than JDK 17's Double.toString, which took 40% of a 10,000-point history (docs/PERFORMANCE.md).
     */
    private static final ObjectWriter WRITER = RequestFields.JSON.writer()
            .with(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);

    private MlflowJson() {
    }

    /** A 200 response with {@code body} as UTF-8 JSON. */
    static HttpResponse ok(ObjectNode body) {
        try {
            return HttpResponse.bytes(200, HttpResponse.JSON, WRITER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
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

    /** Which call a run is written for: MLflow 3's server writes inputs and outputs a little differently for each. */
    enum RunView {
        /** runs/create: inputs (always empty), no outputs. */
        CREATED,
        /** runs/get: dataset and model inputs, outputs. */
        FULL,
        /** runs/search: dataset inputs only, outputs. */
        SEARCHED
    }

    static ObjectNode run(Run run) {
        return run(run, RunView.FULL);
    }

    static ObjectNode run(Run run, RunView view) {
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
        if (view == RunView.FULL && !run.modelInputs().isEmpty()) {
            ArrayNode models = inputs.putArray("model_inputs");
            run.modelInputs().forEach(id -> models.addObject().put("model_id", id));
        }
        if (view != RunView.CREATED) {
            ObjectNode outputs = node.putObject("outputs");
            if (!run.modelOutputs().isEmpty()) {
                ArrayNode models = outputs.putArray("model_outputs");
                run.modelOutputs().forEach(o -> models.addObject().put("model_id", o.modelId()).put("step", o.step()));
            }
        }
        return node;
    }

    /** MLflow 3's {@code LoggedModel}: {@code info} (tags included) and {@code data} (params, metrics). */
    static ObjectNode loggedModel(LoggedModel model) {
        ObjectNode node = object();
        ObjectNode info = node.putObject("info")
                .put("model_id", model.modelId())
                .put("experiment_id", model.experimentId())
                .put("name", model.name())
                .put("creation_timestamp_ms", model.creationTimestamp())
                .put("last_updated_timestamp_ms", model.lastUpdatedTimestamp())
                .put("artifact_uri", model.artifactLocation())
                .put("status", model.status().wireName())
                .put("model_type", model.modelType())
                .put("source_run_id", model.sourceRunId());
        JsonResponses.putKeyValues(info, "tags", model.tags());
        ObjectNode data = node.putObject("data");
        JsonResponses.putKeyValues(data, "params", model.params());
        if (!model.metrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            model.metrics().forEach(m -> metrics.add(modelMetric(m)));
        }
        return node;
    }

    /** A metric point of a logged model, with the fields MLflow 3 adds to {@code Metric}. */
    static ObjectNode modelMetric(ModelMetric m) {
        ObjectNode node = metric(m.point());
        if (m.datasetName() != null) {
            node.put("dataset_name", m.datasetName());
        }
        if (m.datasetDigest() != null) {
            node.put("dataset_digest", m.datasetDigest());
        }
        return node.put("model_id", m.modelId()).put("run_id", m.runId());
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
