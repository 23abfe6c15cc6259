package io.capstan.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.tracking.search.LoggedModelFilter;
import io.capstan.tracking.search.LoggedModelOrder;
import io.capstan.tracking.search.MetricDataset;
import io.capstan.tracking.search.Page;
import io.capstan.tracking.search.PageToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * MLflow 3's logged models over their store, as its SQL store behaves: created {@code PENDING} under
 * {@code <experiment artifact location>/models/<id>/artifacts}, finalized, tagged, given params, linked to metric
 * points, searched, and soft-deleted. A deleted model is not found by {@link #get(String, boolean)} unless asked
 * for, and not searched; finalizing, tagging and logging params to it still work, as in MLflow.
 */
public final class LoggedModelService {
    public static final int DEFAULT_SEARCH_RESULTS = 100;
    public static final int MAX_SEARCH_RESULTS = 1000;
    /** The tag listing the registered model versions made from a logged model. */
    public static final String MODEL_VERSIONS_TAG = "mlflow.modelVersions";
    private static final String NAME_BAD_CHARACTERS = "/:.%\"'";
    /** A run id as {@link TrackingLimits#checkRunId} takes it (MLflow's {@code _RUN_ID_REGEX}): at most 256. */
    private static final int MAX_SOURCE_RUN_ID_LENGTH = 256;

    private final ExperimentStore experiments;
    private final LoggedModelStore models;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public LoggedModelService(ExperimentStore experiments, LoggedModelStore models, Clock clock) {
        this.experiments = Objects.requireNonNull(experiments, "experiments");
        this.models = Objects.requireNonNull(models, "models");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates a model in the {@code PENDING} state.
     *
     * @param name        the name; null or empty for a generated one
     * @param modelType   free-form type, null or empty for none
     * @param sourceRunId the run that produces the model, null or empty for none (not checked, as in MLflow)
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown experiment, INVALID_PARAMETER_VALUE for a
     *                          deleted experiment, a name with {@code / : . % " '}, or a param key given twice with
     *                          different values
     */
    public LoggedModel create(String experimentId, String name, String modelType, String sourceRunId,
                              Map<String, String> tags, List<Map.Entry<String, String>> params) {
        TrackingLimits.checkExperimentId(experimentId);
        checkName(name);
        FieldLimits.checkLength("model_type", modelType, TrackingLimits.MAX_LOGGED_MODEL_NAME_LENGTH);
        FieldLimits.checkLength("source_run_id", sourceRunId, MAX_SOURCE_RUN_ID_LENGTH);
        checkEntries("tags", tags.entrySet());
        checkEntries("params", params);
        Experiment experiment = experiments.get(experimentId).orElseThrow(() -> CapstanException.notFound(
                "No Experiment with id=" + experimentId + " exists"));
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw CapstanException.invalidParameter("The experiment " + experimentId + " must be in the 'active'"
                    + " state. Current state is deleted.");
        }
        Map<String, String> paramMap = mergeParams(Map.of(), params, null);
        String modelId = "m-" + HexFormat.of().formatHex(randomBytes());
        String location = experiment.artifactLocation().replaceAll("/+$", "") + "/models/" + modelId + "/artifacts";
        long now = clock.millis();
        LoggedModel model = new LoggedModel(modelId, experimentId,
                name == null || name.isEmpty() ? RunNames.random(random) : name, location, now, now,
                LoggedModelStatus.PENDING, LifecycleStage.ACTIVE, modelType, sourceRunId, tags, paramMap, List.of());
        models.insert(model);
        return model;
    }

    /**
     * The model with its metrics.
     *
     * @param allowDeleted whether a soft-deleted model is found
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown (or, unless allowed, deleted) model
     */
    public LoggedModel get(String modelId, boolean allowDeleted) {
        TrackingLimits.checkModelId("model_id", modelId);
        return models.get(modelId).filter(m -> allowDeleted || !m.isDeleted())
                .orElseThrow(() -> notFound(modelId));
    }

    /** Sets the status (MLflow's finalize); the model may be deleted. */
    public LoggedModel finalizeModel(String modelId, LoggedModelStatus status) {
        TrackingLimits.checkModelId("model_id", modelId);
        long now = clock.millis();
        return models.update(modelId, m -> m.withStatus(status, now));
    }

    /** Soft-deletes the model; deleting it again changes nothing but its update time. */
    public void delete(String modelId) {
        TrackingLimits.checkModelId("model_id", modelId);
        long now = clock.millis();
        models.update(modelId, m -> m.withLifecycleStage(LifecycleStage.DELETED, now));
    }

    /** Sets (or overwrites) tags. */
    public LoggedModel setTags(String modelId, Map<String, String> tags) {
        TrackingLimits.checkModelId("model_id", modelId);
        checkEntries("tags", tags.entrySet());
        return models.update(modelId, m -> {
            Map<String, String> merged = new HashMap<>(m.tags());
            merged.putAll(tags);
            return m.withTagsAndParams(merged, m.params());
        });
    }

    /**
     * Records that version {@code version} of registered model {@code name} was made from this model: appended to its
     * {@value #MODEL_VERSIONS_TAG} tag, a JSON list of {@code {"name", "version"}}, as MLflow 3's server does (a
     * version already listed is not added again).
     *
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown model
     */
    public LoggedModel linkModelVersion(String modelId, String name, long version) {
        return models.update(modelId, m -> {
            ArrayNode versions = JsonNodeFactory.instance.arrayNode();
            String existing = m.tags().get(MODEL_VERSIONS_TAG);
            if (existing != null) {
                try {
                    JsonNode parsed = new ObjectMapper().readTree(existing);
                    if (parsed != null && parsed.isArray()) {
                        versions.addAll((ArrayNode) parsed);
                    }
                } catch (JsonProcessingException e) {
                    // a tag someone overwrote with other text: start the list again, as MLflow's json.loads would fail
                }
            }
            ObjectNode entry = JsonNodeFactory.instance.objectNode().put("name", name).put("version", version);
            for (JsonNode listed : versions) {
                if (listed.equals(entry)) {
                    return m;
                }
            }
            versions.add(entry);
            Map<String, String> tags = new HashMap<>(m.tags());
            tags.put(MODEL_VERSIONS_TAG, pythonJson(versions));
            return m.withTagsAndParams(tags, m.params());
        });
    }

    /** A list of flat objects as Python's {@code json.dumps} writes it ({@code [{"a": 1, "b": "x"}]}). */
    private static String pythonJson(ArrayNode list) {
        StringJoiner out = new StringJoiner(", ", "[", "]");
        for (JsonNode element : list) {
            StringJoiner fields = new StringJoiner(", ", "{", "}");
            element.fields().forEachRemaining(f -> fields.add(JsonNodeFactory.instance.textNode(f.getKey()) + ": "
                    + f.getValue()));
            out.add(element.isObject() ? fields.toString() : element.toString());
        }
        return out.toString();
    }

    /** @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown model or a tag it does not have */
    public void deleteTag(String modelId, String key) {
        TrackingLimits.checkModelId("model_id", modelId);
        FieldLimits.checkLength("tag_key", key, TrackingLimits.MAX_LOGGED_MODEL_KEY_LENGTH);
        models.update(modelId, m -> {
            if (!m.tags().containsKey(key)) {
                throw CapstanException.notFound("No tag with key '" + key + "' found for model with ID '" + modelId
                        + "'.");
            }
            Map<String, String> remaining = new HashMap<>(m.tags());
            remaining.remove(key);
            return m.withTagsAndParams(remaining, m.params());
        });
    }

    /**
     * Adds params; a param is immutable, so a key already logged with another value is refused and nothing is
     * written.
     */
    public void logParams(String modelId, List<Map.Entry<String, String>> params) {
        TrackingLimits.checkModelId("model_id", modelId);
        checkEntries("params", params);
        models.update(modelId, m -> m.withTagsAndParams(m.tags(), mergeParams(m.params(), params, modelId)));
    }

    /** Links metric points to their models; points naming an unknown model are dropped, as MLflow's server does. */
    public void logMetrics(List<ModelMetric> points) {
        if (!points.isEmpty()) {
            models.logMetrics(points);
        }
    }

    /**
     * The models of {@code experimentIds} matching {@code filter} on {@code datasets}, in {@code orderBy} order,
     * deleted models left out.
     *
     * @param maxResults page size, null or 0 for {@value #DEFAULT_SEARCH_RESULTS}, at most
     *                   {@value #MAX_SEARCH_RESULTS}
     * @throws CapstanException INVALID_PARAMETER_VALUE for a malformed filter, order, token or page size
     */
    public Page<LoggedModel> search(List<String> experimentIds, String filter, List<MetricDataset> datasets,
                                    Integer maxResults, List<LoggedModelOrder.Term> orderBy, String pageToken) {
        int max = maxResults == null || maxResults == 0 ? DEFAULT_SEARCH_RESULTS : maxResults;
        if (max < 1 || max > MAX_SEARCH_RESULTS) {
            throw CapstanException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results'"
                    + " supplied. It must be a positive integer at most " + MAX_SEARCH_RESULTS + ".");
        }
        LoggedModelFilter parsedFilter = LoggedModelFilter.parse(filter, datasets);
        Comparator<LoggedModel> order = LoggedModelOrder.parse(orderBy);
        boolean withMetrics = parsedFilter.readsMetrics() || LoggedModelOrder.readsMetrics(orderBy);
        PageToken.decode(pageToken);
        experimentIds.forEach(TrackingLimits::checkExperimentId);
        List<LoggedModel> matching = new ArrayList<>();
        for (String experimentId : new LinkedHashSet<>(experimentIds)) {
            for (LoggedModel model : models.listByExperiment(experimentId)) {
                if (model.isDeleted()) {
                    continue;
                }
                LoggedModel candidate = withMetrics ? model.withMetrics(models.metrics(model.modelId())) : model;
                if (parsedFilter.test(candidate)) {
                    matching.add(candidate);
                }
            }
        }
        matching.sort(order);
        Page<LoggedModel> page = PageToken.page(matching, max, pageToken);
        if (withMetrics) {
            return page;
        }
        List<LoggedModel> complete = page.items().stream()
                .map(m -> m.withMetrics(models.metrics(m.modelId()))).toList();
        return new Page<>(complete, page.nextPageToken());
    }

    private static Map<String, String> mergeParams(Map<String, String> stored, List<Map.Entry<String, String>> added,
                                                   String modelId) {
        Map<String, String> merged = new HashMap<>(stored);
        for (Map.Entry<String, String> p : added) {
            String previous = merged.putIfAbsent(p.getKey(), p.getValue());
            if (previous != null && !previous.equals(p.getValue())) {
                throw CapstanException.invalidParameter("Changing param values is not allowed. Param with key='"
                        + p.getKey() + "' was already logged with value='" + previous + "'"
                        + (modelId == null ? "" : " for model ID='" + modelId + "'") + ". Attempted logging new value '"
                        + p.getValue() + "'.");
            }
        }
        return merged;
    }

    /** Keys and values of tags or params: MLflow 3's columns ({@code String(255)} keys, {@code Text} values). */
    private static void checkEntries(String field, java.util.Collection<Map.Entry<String, String>> entries) {
        for (Map.Entry<String, String> e : entries) {
            FieldLimits.checkLength(field + ".key", e.getKey(), TrackingLimits.MAX_LOGGED_MODEL_KEY_LENGTH);
            FieldLimits.checkLength(field + ".value", e.getValue(), TrackingLimits.MAX_LOGGED_MODEL_VALUE_LENGTH);
        }
    }

    private static void checkName(String name) {
        FieldLimits.checkLength("name", name, TrackingLimits.MAX_LOGGED_MODEL_NAME_LENGTH);
        if (name != null && !name.isEmpty() && name.chars().anyMatch(c -> NAME_BAD_CHARACTERS.indexOf(c) >= 0)) {
            throw CapstanException.invalidParameter("Invalid model name ('" + FieldLimits.shown(name) + "') provided. Model name must be"
                    + " a non-empty string and cannot contain the following characters: ('/', ':', '.', '%', '\"',"
                    + " \"'\")");
        }
    }

    static CapstanException notFound(String modelId) {
        return CapstanException.notFound("Logged model with ID '" + modelId + "' not found.");
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }
}
