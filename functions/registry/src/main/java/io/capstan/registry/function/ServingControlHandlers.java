package io.capstan.registry.function;

import static io.capstan.registry.function.MlflowRegistryHandlers.op;
import static io.capstan.registry.function.MlflowRegistryHandlers.version;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.registry.AuditEvent;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryService;
import io.capstan.registry.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Capstan's registry extensions under {@code /api/2.0/capstan/registry}: provenance, the audit trail, promotion
 * with an expected current version, rollback, and the traffic policy. Not MLflow endpoints, but shaped like them
 * (snake_case JSON, MLflow's error body).
 */
final class ServingControlHandlers {
    private final RegistryService registry;
    private final PromotionService promotions;

    ServingControlHandlers(RegistryService registry, PromotionService promotions) {
        this.registry = registry;
        this.promotions = promotions;
    }

    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("GetModelVersionProvenance", op((f, caller) -> {
            ModelVersion v = registry.getModelVersion(f.requiredString("name"), Long.toString(version(f)));
            ObjectNode out = RegistryJson.object().put("name", v.name()).put("version", Long.toString(v.version()))
                    .put("status", v.status().name());
            out.set("provenance", v.provenance().toJson());
            ObjectNode serving = RegistryJson.serving(v);
            if (!v.serving().manifestSha256().isEmpty()) {
                serving.put("manifest_sha256", v.serving().manifestSha256());
            }
            out.set("serving", serving);
            return out;
        }));
        h.put("ListAuditEvents", op((f, caller) -> {
            ObjectNode out = RegistryJson.object();
            ArrayNode events = out.putArray("events");
            promotions.auditTrail(f.requiredString("name")).forEach(e -> events.add(RegistryJson.auditEvent(e)));
            return out;
        }));
        h.put("PromoteModelVersion", op((f, caller) -> {
            String name = f.requiredString("name");
            Optional<Long> expected = f.optionalScalarText("expected_version")
                    .map(text -> text.isEmpty() || text.equalsIgnoreCase("none") ? PromotionService.NONE
                            : parseExpected(text));
            AuditEvent event = promotions.promote(name, alias(f), version(f), expected, caller, reason(f));
            return changed(name, event);
        }));
        h.put("RollbackAlias", op((f, caller) -> {
            String name = f.requiredString("name");
            return changed(name, promotions.rollback(name, alias(f), caller, reason(f)));
        }));
        h.put("SetTrafficPolicy", op((f, caller) -> {
            String name = f.requiredString("name");
            List<TrafficPolicy.Split> splits = new ArrayList<>();
            for (RequestFields route : f.objectList("routes")) {
                splits.add(new TrafficPolicy.Split(route.requiredString("target"),
                        route.optionalInt("weight").orElseThrow(() -> RequestFields.missing("routes.weight"))));
            }
            promotions.setTrafficPolicy(name, new TrafficPolicy(splits), caller, reason(f));
            return policy(name);
        }));
        h.put("GetTrafficPolicy", op((f, caller) -> policy(f.requiredString("name"))));
        h.put("DeleteTrafficPolicy", op((f, caller) -> {
            promotions.clearTrafficPolicy(f.requiredString("name"), caller, reason(f));
            return RegistryJson.object();
        }));
        return h;
    }

    private ObjectNode changed(String name, AuditEvent event) {
        ObjectNode out = RegistryJson.object();
        out.set("event", RegistryJson.auditEvent(event));
        ModelVersion now = registry.getModelVersion(name, Long.toString(event.toVersion()));
        out.set("model_version", RegistryJson.modelVersion(now, registry.aliasesOf(registry.getRegisteredModel(name),
                now.version())));
        return out;
    }

    private ObjectNode policy(String name) {
        RegisteredModel model = registry.getRegisteredModel(name);
        ObjectNode out = RegistryJson.object();
        model.traffic().ifPresent(p -> {
            Map<String, Long> resolved = new HashMap<>();
            for (String target : p.targets()) {
                ModelSelector selector = ModelSelector.parseTarget(target);
                if (selector instanceof ModelSelector.Alias a) {
                    model.alias(a.alias()).ifPresent(v -> resolved.put(target, v));
                } else {
                    resolved.put(target, ((ModelSelector.Version) selector).version());
                }
            }
            out.set("traffic_policy", RegistryJson.trafficPolicy(name, p, resolved));
        });
        return out;
    }

    private static String alias(RequestFields f) {
        return f.optionalString("alias").filter(a -> !a.isEmpty()).orElse(ModelSelector.CHAMPION);
    }

    private static String reason(RequestFields f) {
        return f.optionalString("reason").orElse("");
    }

    private static long parseExpected(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw CapstanException.invalidParameter("Invalid value '" + FieldLimits.shown(text) + "' for parameter"
                    + " 'expected_version':"
                    + " give the version number the alias points at now, or 'none' when it is not set.");
        }
    }
}
