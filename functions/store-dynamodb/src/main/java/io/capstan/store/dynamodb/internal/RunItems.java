package io.capstan.store.dynamodb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts a run to and from its summary item: info attributes, {@code params} and {@code tags} as string maps,
 * {@code latest} as a map of metric key to one packed point, {@code inputs} as JSON, and the optimistic-lock
 * counter {@code ver}.
 */
public final class RunItems {
    public static final String VERSION = "ver";
    public static final String LATEST = "latest";
    public static final String PARAMS = "params";
    public static final String TAGS = "tags";
    public static final String LIFECYCLE = "lifecycle";
    public static final String MODEL_INPUTS = "modelInputs";
    public static final String MODEL_OUTPUTS = "outputs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<DatasetInput>> INPUTS = new TypeReference<>() {
    };

    private RunItems() {
    }

    public static Map<String, AttributeValue> toItem(Run run, long version) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.experimentRunsPk(run.info().experimentId())));
        item.put(Keys.SK, s(Keys.runSummarySk(run.info().runId())));
        putInfo(item, run.info());
        item.put(PARAMS, stringMap(run.params()));
        item.put(TAGS, stringMap(run.tags()));
        Map<String, AttributeValue> latest = new HashMap<>();
        for (Metric m : run.metrics()) {
            latest.put(m.key(), AttributeValue.fromB(MetricPoints.pack(m)));
        }
        item.put(LATEST, AttributeValue.fromM(latest));
        if (!run.inputs().isEmpty()) {
            item.put("inputs", s(writeInputs(run.inputs())));
        }
        if (!run.modelInputs().isEmpty()) {
            putModelInputs(item, run.modelInputs());
        }
        if (!run.modelOutputs().isEmpty()) {
            putModelOutputs(item, run.modelOutputs());
        }
        item.put(VERSION, AttributeValue.fromN(Long.toString(version)));
        return item;
    }

    /** Writes the info attributes into an item, replacing the previous ones. */
    public static void putInfo(Map<String, AttributeValue> item, RunInfo info) {
        item.put("runId", s(info.runId()));
        item.put("experimentId", s(info.experimentId()));
        item.put("runName", s(info.runName()));
        item.put("userId", s(info.userId()));
        item.put("status", s(info.status().name()));
        item.put("startTime", n(info.startTime()));
        if (info.endTime() != null) {
            item.put("endTime", n(info.endTime()));
        } else {
            item.remove("endTime");
        }
        item.put("artifactUri", s(info.artifactUri()));
        item.put(LIFECYCLE, s(info.lifecycleStage().wireName()));
    }

    public static Run toRun(Map<String, AttributeValue> item) {
        List<Metric> metrics = new ArrayList<>();
        latest(item).forEach(metrics::add);
        List<DatasetInput> inputs = item.containsKey("inputs") ? readInputs(item.get("inputs").s()) : List.of();
        return new Run(toInfo(item), metrics, strings(item.get(PARAMS)), strings(item.get(TAGS)), inputs,
                modelInputs(item), modelOutputs(item));
    }

    /** Ids of the logged models the run used, in logging order: a list of strings. */
    public static List<String> modelInputs(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(MODEL_INPUTS);
        return list == null || !list.hasL() ? List.of() : list.l().stream().map(AttributeValue::s).toList();
    }

    public static void putModelInputs(Map<String, AttributeValue> item, List<String> modelIds) {
        item.put(MODEL_INPUTS, AttributeValue.fromL(modelIds.stream().map(RunItems::s).toList()));
    }

    /** The logged models the run produced, in logging order: a list of maps {@code {m: model id, s: step}}. */
    public static List<ModelOutput> modelOutputs(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(MODEL_OUTPUTS);
        return list == null || !list.hasL() ? List.of() : list.l().stream()
                .map(o -> new ModelOutput(o.m().get("m").s(), Long.parseLong(o.m().get("s").n()))).toList();
    }

    public static void putModelOutputs(Map<String, AttributeValue> item, List<ModelOutput> outputs) {
        item.put(MODEL_OUTPUTS, AttributeValue.fromL(outputs.stream()
                .map(o -> AttributeValue.fromM(Map.of("m", s(o.modelId()), "s", n(o.step())))).toList()));
    }

    public static RunInfo toInfo(Map<String, AttributeValue> item) {
        AttributeValue end = item.get("endTime");
        return new RunInfo(item.get("runId").s(), item.get("experimentId").s(), item.get("runName").s(),
                item.get("userId").s(), RunStatus.valueOf(item.get("status").s()),
                Long.parseLong(item.get("startTime").n()), end == null ? null : Long.parseLong(end.n()),
                item.get("artifactUri").s(), LifecycleStage.fromWire(item.get(LIFECYCLE).s()));
    }

    /** The current point of each metric. */
    public static List<Metric> latest(Map<String, AttributeValue> item) {
        AttributeValue latest = item.get(LATEST);
        if (latest == null || !latest.hasM()) {
            return List.of();
        }
        List<Metric> metrics = new ArrayList<>(latest.m().size());
        latest.m().forEach((key, packed) -> metrics.add(MetricPoints.unpackOne(key, packed.b())));
        return metrics;
    }

    public static long version(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(VERSION).n());
    }

    public static Map<String, String> strings(AttributeValue map) {
        if (map == null || !map.hasM()) {
            return Map.of();
        }
        Map<String, String> result = new HashMap<>(map.m().size());
        map.m().forEach((k, v) -> result.put(k, v.s()));
        return result;
    }

    public static AttributeValue stringMap(Map<String, String> values) {
        Map<String, AttributeValue> m = new HashMap<>(values.size());
        values.forEach((k, v) -> m.put(k, s(v)));
        return AttributeValue.fromM(m);
    }

    public static String writeInputs(List<DatasetInput> inputs) {
        try {
            return JSON.writeValueAsString(inputs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("dataset inputs are not serializable", e);
        }
    }

    public static List<DatasetInput> readInputs(String json) {
        try {
            return JSON.readValue(json, INPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored dataset inputs are unreadable", e);
        }
    }

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
