package io.capstan.store.dynamodb.internal;

import static io.capstan.store.dynamodb.internal.RunItems.n;
import static io.capstan.store.dynamodb.internal.RunItems.s;
import static io.capstan.store.dynamodb.internal.RunItems.stringMap;
import static io.capstan.store.dynamodb.internal.RunItems.strings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.capstan.provenance.Provenance;
import io.capstan.registry.AuditEvent;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.ModelVersionStatus;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.Servability;
import io.capstan.registry.Stage;
import io.capstan.registry.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Converts registered models, versions and audit events to and from their items (docs/STORAGE.md). */
public final class RegistryItems {
    public static final String REVISION = "rev";
    public static final String NEXT_VERSION = "nextVersion";
    public static final String MODEL_ID = "modelId";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryItems() {
    }

    /** The model's attributes a commit sets (everything but the keys and the version counter). */
    public static Map<String, AttributeValue> modelAttributes(RegisteredModel model) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("name", s(model.name()));
        item.put("created", n(model.creationTimestamp()));
        item.put("updated", n(model.lastUpdatedTimestamp()));
        item.put("description", s(model.description()));
        item.put("tags", stringMap(model.tags()));
        Map<String, AttributeValue> aliases = new HashMap<>();
        model.aliases().forEach((alias, version) -> aliases.put(alias, n(version)));
        item.put("aliases", AttributeValue.fromM(aliases));
        item.put("traffic", s(model.traffic().map(RegistryItems::writePolicy).orElse("")));
        return item;
    }

    public static RegisteredModel toModel(Map<String, AttributeValue> item) {
        Map<String, Long> aliases = new HashMap<>();
        AttributeValue stored = item.get("aliases");
        if (stored != null && stored.hasM()) {
            stored.m().forEach((alias, version) -> aliases.put(alias, Long.parseLong(version.n())));
        }
        String traffic = item.get("traffic").s();
        return new RegisteredModel(item.get("name").s(), number(item, "created"), number(item, "updated"),
                item.get("description").s(), strings(item.get("tags")), aliases,
                traffic.isEmpty() ? null : readPolicy(traffic));
    }

    public static Map<String, AttributeValue> versionItem(String modelId, ModelVersion v, long revision) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.modelPk(modelId)));
        item.put(Keys.SK, s(Keys.versionSk(v.version())));
        item.put("version", n(v.version()));
        item.put("created", n(v.creationTimestamp()));
        item.put("updated", n(v.lastUpdatedTimestamp()));
        item.put("userId", s(v.userId()));
        item.put("stage", s(v.stage().wireName()));
        item.put("description", s(v.description()));
        item.put("source", s(v.source()));
        item.put("runId", s(v.runId()));
        item.put("runLink", s(v.runLink()));
        item.put("status", s(v.status().name()));
        item.put("statusMessage", s(v.statusMessage()));
        item.put("tags", stringMap(v.tags()));
        item.put("storage", s(v.storageLocation()));
        item.put("provenance", s(v.provenance().toJsonString()));
        if (!v.modelId().isEmpty()) {
            item.put("modelId", s(v.modelId()));
        }
        item.put("servable", AttributeValue.fromBool(v.serving().servable()));
        item.put("servingNote", s(v.serving().reason()));
        if (!v.serving().manifestSha256().isEmpty()) {
            item.put("servingManifest", s(v.serving().manifestSha256()));
        }
        item.put(REVISION, n(revision));
        return item;
    }

    /** A version item; its name is the model's current one, passed in, since renames do not rewrite versions. */
    public static ModelVersion toVersion(String modelName, Map<String, AttributeValue> item) {
        return new ModelVersion(modelName, number(item, "version"), number(item, "created"), number(item, "updated"),
                item.get("userId").s(), Stage.parse(item.get("stage").s()), item.get("description").s(),
                item.get("source").s(), item.get("runId").s(), item.get("runLink").s(),
                ModelVersionStatus.valueOf(item.get("status").s()), item.get("statusMessage").s(),
                strings(item.get("tags")), item.get("storage").s(), Provenance.fromJson(item.get("provenance").s()),
                item.containsKey("modelId") ? item.get("modelId").s() : "", serving(item));
    }

    /** The servability verdict; null for items written before verdicts existed, which the version then derives. */
    private static Servability serving(Map<String, AttributeValue> item) {
        if (!item.containsKey("servable")) {
            return null;
        }
        if (!item.get("servable").bool()) {
            return Servability.notServable(item.get("servingNote").s());
        }
        return item.containsKey("servingManifest") ? Servability.servableBy(item.get("servingManifest").s())
                : Servability.SERVABLE;
    }

    public static Map<String, AttributeValue> auditItem(String modelId, AuditEvent e, String unique) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Keys.PK, s(Keys.modelPk(modelId)));
        item.put(Keys.SK, s(Keys.auditSk(e.timestamp(), unique)));
        item.put("timestamp", n(e.timestamp()));
        item.put("actor", s(e.actor()));
        item.put("action", s(e.action().name()));
        item.put("subject", s(e.subject()));
        if (e.fromVersion() != null) {
            item.put("fromVersion", n(e.fromVersion()));
        }
        if (e.toVersion() != null) {
            item.put("toVersion", n(e.toVersion()));
        }
        item.put("reason", s(e.reason()));
        item.put("applied", AttributeValue.fromBool(e.applied()));
        item.put("detail", s(e.detail()));
        return item;
    }

    public static AuditEvent toAudit(String modelName, Map<String, AttributeValue> item) {
        return new AuditEvent(modelName, number(item, "timestamp"), item.get("actor").s(),
                AuditEvent.AuditAction.valueOf(item.get("action").s()), item.get("subject").s(),
                item.containsKey("fromVersion") ? number(item, "fromVersion") : null,
                item.containsKey("toVersion") ? number(item, "toVersion") : null, item.get("reason").s(),
                item.get("applied").bool(), item.get("detail").s());
    }

    public static long number(Map<String, AttributeValue> item, String attribute) {
        return Long.parseLong(item.get(attribute).n());
    }

    static String writePolicy(TrafficPolicy policy) {
        ArrayNode array = JSON.createArrayNode();
        policy.splits().forEach(split -> array.addObject().put("target", split.target()).put("weight", split.weight()));
        return array.toString();
    }

    static TrafficPolicy readPolicy(String json) {
        try {
            List<TrafficPolicy.Split> splits = new ArrayList<>();
            for (JsonNode node : JSON.readTree(json)) {
                splits.add(new TrafficPolicy.Split(node.get("target").asText(), node.get("weight").asInt()));
            }
            return new TrafficPolicy(splits);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored traffic policy is unreadable", e);
        }
    }
}
