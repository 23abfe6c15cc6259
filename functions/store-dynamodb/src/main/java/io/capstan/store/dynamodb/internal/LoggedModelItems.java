package io.capstan.store.dynamodb.internal;

import static io.capstan.store.dynamodb.internal.RunItems.n;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelStatus;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelMetric;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Converts a logged model to and from its item (info attributes, {@code tags} and {@code params} as string maps, the
 * optimistic-lock counter {@code ver}) and its metric points to and from segment items: a JSON array in {@code p},
 * each point {@code {"k", "v", "t", "s", "r", "dn", "dd"}} (key, value as Java's decimal text so NaN and the
 * infinities survive, timestamp, step, run id, dataset name and digest when set).
 */
public final class LoggedModelItems {
    public static final String VERSION = "ver";
    /** A segment stays below this many bytes of JSON, far under DynamoDB's 400 KB item limit. */
    static final int MAX_SEGMENT_BYTES = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoggedModelItems() {
    }

    public static Map<String, AttributeValue> toItem(LoggedModel model, long version) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.experimentRunsPk(model.experimentId())));
        item.put(Keys.SK, s(Keys.loggedModelSk(model.modelId())));
        item.put("modelId", s(model.modelId()));
        item.put("experimentId", s(model.experimentId()));
        item.put("name", s(model.name()));
        item.put("artifactLocation", s(model.artifactLocation()));
        item.put("created", n(model.creationTimestamp()));
        item.put("updated", n(model.lastUpdatedTimestamp()));
        item.put("status", s(model.status().name()));
        item.put("lifecycle", s(model.lifecycleStage().wireName()));
        item.put("modelType", s(model.modelType()));
        item.put("sourceRunId", s(model.sourceRunId()));
        item.put("tags", RunItems.stringMap(model.tags()));
        item.put("params", RunItems.stringMap(model.params()));
        item.put(VERSION, n(version));
        return item;
    }

    /** The model an item holds, without its metrics. */
    public static LoggedModel toModel(Map<String, AttributeValue> item) {
        return new LoggedModel(item.get("modelId").s(), item.get("experimentId").s(), item.get("name").s(),
                item.get("artifactLocation").s(), Long.parseLong(item.get("created").n()),
                Long.parseLong(item.get("updated").n()), LoggedModelStatus.valueOf(item.get("status").s()),
                LifecycleStage.fromWire(item.get("lifecycle").s()), item.get("modelType").s(),
                item.get("sourceRunId").s(), RunItems.strings(item.get("tags")), RunItems.strings(item.get("params")),
                List.of());
    }

    public static long version(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get(VERSION).n());
    }

    /** The JSON of {@code points}, split so that no segment exceeds {@value #MAX_SEGMENT_BYTES} bytes. */
    public static List<String> segments(List<ModelMetric> points) {
        List<String> segments = new ArrayList<>();
        ArrayNode current = JSON.createArrayNode();
        int bytes = 2;
        for (ModelMetric point : points) {
            ObjectNode node = toJson(point);
            int size = node.toString().getBytes(StandardCharsets.UTF_8).length + 1;
            if (!current.isEmpty() && bytes + size > MAX_SEGMENT_BYTES) {
                segments.add(current.toString());
                current = JSON.createArrayNode();
                bytes = 2;
            }
            current.add(node);
            bytes += size;
        }
        if (!current.isEmpty()) {
            segments.add(current.toString());
        }
        return segments;
    }

    public static List<ModelMetric> fromSegment(String modelId, String json) {
        try {
            List<ModelMetric> points = new ArrayList<>();
            for (JsonNode p : JSON.readTree(json)) {
                Metric metric = new Metric(p.get("k").textValue(), Double.parseDouble(p.get("v").textValue()),
                        p.get("t").longValue(), p.get("s").longValue());
                points.add(new ModelMetric(modelId, p.get("r").textValue(), metric, text(p, "dn"), text(p, "dd")));
            }
            return points;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metric segment of logged model " + modelId + " is unreadable", e);
        }
    }

    private static ObjectNode toJson(ModelMetric point) {
        ObjectNode node = JSON.createObjectNode()
                .put("k", point.point().key())
                .put("v", Double.toString(point.point().value()))
                .put("t", point.point().timestamp())
                .put("s", point.point().step())
                .put("r", point.runId());
        if (point.datasetName() != null) {
            node.put("dn", point.datasetName());
        }
        if (point.datasetDigest() != null) {
            node.put("dd", point.datasetDigest());
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.textValue();
    }
}
