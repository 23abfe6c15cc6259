package io.capstan.registry.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.JsonResponses;
import io.capstan.http.OperationHandler;
import io.capstan.http.RequestFields;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryService;
import io.capstan.tracking.search.Page;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** MLflow's model registry operations: parse the request, call the services, write MLflow's JSON. */
final class MlflowRegistryHandlers {
    private final RegistryService registry;
    private final PromotionService promotions;

    MlflowRegistryHandlers(RegistryService registry, PromotionService promotions) {
        this.registry = registry;
        this.promotions = promotions;
    }

    Map<String, OperationHandler> handlers() {
        Map<String, OperationHandler> h = new HashMap<>();
        h.put("CreateRegisteredModel", op((f, caller) -> wrapModel(registry.createRegisteredModel(
                f.requiredString("name"), f.optionalString("description").orElse(""), tags(f)))));
        h.put("GetRegisteredModel", op((f, caller) -> wrapModel(registry.getRegisteredModel(f.requiredString("name")))));
        h.put("RenameRegisteredModel", op((f, caller) -> wrapModel(registry.rename(f.requiredString("name"),
                f.requiredString("new_name")))));
        h.put("UpdateRegisteredModel", op((f, caller) -> wrapModel(registry.updateDescription(f.requiredString("name"),
                f.optionalString("description").orElse("")))));
        h.put("DeleteRegisteredModel", op((f, caller) -> {
            registry.deleteRegisteredModel(f.requiredString("name"));
            return RegistryJson.object();
        }));
        h.put("SearchRegisteredModels", op((f, caller) -> searchModels(f)));
        h.put("GetLatestVersions", op((f, caller) -> versions("model_versions",
                registry.latestVersions(f.requiredString("name"), f.stringList("stages")))));
        h.put("SetRegisteredModelTag", op((f, caller) -> {
            registry.setModelTag(f.requiredString("name"), f.requiredString("key"), value(f));
            return RegistryJson.object();
        }));
        h.put("DeleteRegisteredModelTag", op((f, caller) -> {
            registry.deleteModelTag(f.requiredString("name"), f.requiredString("key"));
            return RegistryJson.object();
        }));
        h.put("SetRegisteredModelAlias", op((f, caller) -> {
            promotions.setAlias(f.requiredString("name"), f.requiredString("alias"), version(f), Optional.empty(),
                    caller, f.optionalString("reason").orElse(""));
            return RegistryJson.object();
        }));
        h.put("DeleteRegisteredModelAlias", op((f, caller) -> {
            promotions.deleteAlias(f.requiredString("name"), f.requiredString("alias"), caller,
                    f.optionalString("reason").orElse(""));
            return RegistryJson.object();
        }));
        h.put("GetModelVersionByAlias", op((f, caller) -> wrapVersion(promotions.versionByAlias(
                f.requiredString("name"), f.requiredString("alias")))));
        h.put("CreateModelVersion", op((f, caller) -> wrapVersion(registry.createModelVersion(f.requiredString("name"),
                f.requiredString("source"), f.optionalString("run_id").orElse(""),
                f.optionalString("run_link").orElse(""), tags(f), f.optionalString("description").orElse(""), caller,
                f.optionalString("model_id").orElse("")))));
        h.put("GetModelVersion", op((f, caller) -> wrapVersion(registry.getModelVersion(f.requiredString("name"),
                Long.toString(version(f))))));
        h.put("UpdateModelVersion", op((f, caller) -> wrapVersion(registry.updateVersionDescription(
                f.requiredString("name"), Long.toString(version(f)), f.optionalString("description").orElse("")))));
        h.put("DeleteModelVersion", op((f, caller) -> {
            promotions.deleteVersion(f.requiredString("name"), version(f), caller);
            return RegistryJson.object();
        }));
        h.put("TransitionModelVersionStage", op((f, caller) -> wrapVersion(promotions.transitionStage(
                f.requiredString("name"), version(f), f.requiredString("stage"),
                f.optionalBoolean("archive_existing_versions").orElse(false), caller,
                f.optionalString("reason").orElse("")))));
        h.put("SearchModelVersions", op((f, caller) -> searchVersions(f)));
        h.put("GetModelVersionDownloadUri", op((f, caller) -> RegistryJson.object().put("artifact_uri",
                registry.downloadUri(f.requiredString("name"), Long.toString(version(f))))));
        h.put("SetModelVersionTag", op((f, caller) -> {
            registry.setVersionTag(f.requiredString("name"), Long.toString(version(f)), f.requiredString("key"),
                    value(f));
            return RegistryJson.object();
        }));
        h.put("DeleteModelVersionTag", op((f, caller) -> {
            registry.deleteVersionTag(f.requiredString("name"), Long.toString(version(f)), f.requiredString("key"));
            return RegistryJson.object();
        }));
        return h;
    }

    private ObjectNode searchModels(RequestFields f) {
        Page<RegisteredModel> page = registry.searchRegisteredModels(f.optionalString("filter").orElse(null),
                f.optionalInt("max_results").orElse(null), f.stringList("order_by"),
                f.optionalString("page_token").orElse(null));
        ObjectNode out = RegistryJson.object();
        if (!page.items().isEmpty()) {
            ArrayNode models = out.putArray("registered_models");
            page.items().forEach(m -> models.add(RegistryJson.registeredModel(m, registry.latestVersions(m.name(),
                    List.of()))));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode searchVersions(RequestFields f) {
        Page<ModelVersion> page = registry.searchModelVersions(f.optionalString("filter").orElse(null),
                f.optionalInt("max_results").orElse(null), f.stringList("order_by"),
                f.optionalString("page_token").orElse(null));
        // as MLflow's server: search answers versions without their aliases
        ObjectNode out = RegistryJson.object();
        if (!page.items().isEmpty()) {
            ArrayNode array = out.putArray("model_versions");
            page.items().forEach(v -> array.add(RegistryJson.modelVersion(v, List.of())));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    private ObjectNode wrapModel(RegisteredModel model) {
        return RegistryJson.wrap("registered_model", RegistryJson.registeredModel(model,
                registry.latestVersions(model.name(), List.of())));
    }

    private ObjectNode wrapVersion(ModelVersion version) {
        return RegistryJson.wrap("model_version", versionJson(version));
    }

    private ObjectNode versions(String field, List<ModelVersion> list) {
        ObjectNode out = RegistryJson.object();
        if (!list.isEmpty()) {
            ArrayNode array = out.putArray(field);
            list.forEach(v -> array.add(versionJson(v)));
        }
        return out;
    }

    private ObjectNode versionJson(ModelVersion version) {
        return RegistryJson.modelVersion(version, registry.aliasesOf(registry.getRegisteredModel(version.name()),
                version.version()));
    }

    /** A version number sent as MLflow's string or as a JSON number. */
    static long version(RequestFields f) {
        return f.optionalLong("version").orElseThrow(() -> RequestFields.missing("version"));
    }

    private static String value(RequestFields f) {
        return f.optionalString("value").orElseThrow(() -> RequestFields.missing("value"));
    }

    private static Map<String, String> tags(RequestFields f) {
        Map<String, String> tags = new HashMap<>();
        for (RequestFields tag : f.objectList("tags")) {
            tags.put(tag.requiredString("key"), tag.optionalString("value").orElseThrow(() -> RequestFields.missing(
                    "tags.value")));
        }
        return tags;
    }

    /** An operation reading its fields from the request and knowing who called. */
    static OperationHandler op(BiFunction<RequestFields, String, ObjectNode> operation) {
        return (HttpRequest request, Map<String, String> path) ->
                JsonResponses.ok(operation.apply(RequestFields.of(request), request.callerId()));
    }
}
