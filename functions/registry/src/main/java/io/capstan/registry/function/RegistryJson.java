package io.capstan.registry.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.JsonResponses;
import io.capstan.registry.AuditEvent;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.TrafficPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * MLflow's JSON for registry entities, as its server writes them (versions as strings, timestamps as numbers, fields
 * it never set left out; a version's {@code description} and {@code run_link} always present, as the create request
 * sets them; MLflow 3's {@code model_id} kept but not answered, as 3.11's server does), and the JSON of Capstan's own
 * registry extensions (audit events, traffic policies, the servability verdict).
 */
final class RegistryJson {
    /** The field of a model version's JSON that carries Capstan's servability verdict. */
    static final String SERVING_FIELD = "capstan_serving";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RegistryJson() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode out = object();
        out.set(field, value);
        return out;
    }

    static ObjectNode registeredModel(RegisteredModel m, List<ModelVersion> latest) {
        ObjectNode node = object().put("name", m.name())
                .put("creation_timestamp", m.creationTimestamp())
                .put("last_updated_timestamp", m.lastUpdatedTimestamp());
        if (!m.description().isEmpty()) {
            node.put("description", m.description());
        }
        if (!latest.isEmpty()) {
            ArrayNode versions = node.putArray("latest_versions");
            latest.forEach(v -> versions.add(modelVersion(v, List.of())));
        }
        JsonResponses.putKeyValues(node, "tags", m.tags());
        if (!m.aliases().isEmpty()) {
            ArrayNode aliases = node.putArray("aliases");
            new TreeMap<>(m.aliases()).forEach((alias, version) -> aliases.addObject().put("alias", alias)
                    .put("version", Long.toString(version)));
        }
        return node;
    }

    static ObjectNode modelVersion(ModelVersion v, List<String> aliases) {
        ObjectNode node = object().put("name", v.name())
                .put("version", Long.toString(v.version()))
                .put("creation_timestamp", v.creationTimestamp())
                .put("last_updated_timestamp", v.lastUpdatedTimestamp());
        putIfNotEmpty(node, "user_id", v.userId());
        node.put("current_stage", v.stage().wireName());
        node.put("description", v.description());
        node.put("source", v.source());
        putIfNotEmpty(node, "run_id", v.runId());
        node.put("status", v.status().name());
        putIfNotEmpty(node, "status_message", v.statusMessage());
        JsonResponses.putKeyValues(node, "tags", v.tags());
        node.put("run_link", v.runLink());
        if (!aliases.isEmpty()) {
            ArrayNode array = node.putArray("aliases");
            aliases.forEach(array::add);
        }
        node.set(SERVING_FIELD, serving(v));
        return node;
    }

    /**
     * Capstan's servability verdict, beside MLflow's fields: {@code {"servable": true}} or {@code {"servable": false,
     * "reason": "..."}}. MLflow's clients parse responses ignoring fields they do not know.
     */
    static ObjectNode serving(ModelVersion v) {
        ObjectNode node = object().put("servable", v.isServable());
        if (!v.isServable()) {
            node.put("reason", v.isReady() ? v.serving().reason() : "the version is " + v.status());
        }
        return node;
    }

    static ObjectNode auditEvent(AuditEvent e) {
        ObjectNode node = object().put("timestamp", e.timestamp()).put("actor", e.actor())
                .put("action", e.action().name().toLowerCase(Locale.ROOT)).put("subject", e.subject());
        if (e.fromVersion() != null) {
            node.put("from_version", Long.toString(e.fromVersion()));
        }
        if (e.toVersion() != null) {
            node.put("to_version", Long.toString(e.toVersion()));
        }
        node.put("applied", e.applied());
        putIfNotEmpty(node, "reason", e.reason());
        putIfNotEmpty(node, "detail", e.detail());
        return node;
    }

    static ObjectNode trafficPolicy(String name, TrafficPolicy policy, Map<String, Long> resolved) {
        ObjectNode node = object().put("name", name);
        ArrayNode routes = node.putArray("routes");
        for (TrafficPolicy.Split split : policy.splits()) {
            ObjectNode route = routes.addObject().put("target", split.target()).put("weight", split.weight());
            Long version = resolved.get(split.target());
            if (version != null) {
                route.put("version", Long.toString(version));
            }
        }
        return node;
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
