package io.capstan.drift.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.FeatureSpec;
import io.capstan.storage.KeyPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A drift check of a dataset too large for one function, as the profile state machine's execution carries it: the
 * model and version it checks, the dataset (an object or a prefix of CSV files), the reference dataset if there is
 * one (else the version's reference profile), the columns and which hold categories.
 *
 * @param checkId        the report id the check will write
 * @param model          the registered model
 * @param version        the version whose reference is compared with
 * @param trigger        who asked ({@code api})
 * @param dataset        the current data
 * @param reference      the reference data; empty for the version's reference profile
 * @param schema         the columns compared, in order, each numeric or categorical
 * @param maxConcurrency chunks profiled at once
 */
public record DistributedCheck(String checkId, String model, long version, String trigger, ObjectLocation dataset,
                               Optional<ObjectLocation> reference, List<FeatureSpec> schema, int maxConcurrency) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public DistributedCheck {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(reference, "reference");
        schema = List.copyOf(schema);
    }

    /** The check's folder in the capture bucket: its plan, its chunks' profiles and, at the end, its report. */
    public ObjectLocation folder(DriftBuckets buckets) {
        return new ObjectLocation(buckets.capture(), KeyPrefixes.REPORTS + model + "/" + checkId + "/");
    }

    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode().put("check_id", checkId).put("model", model).put("version", version)
                .put("trigger", trigger).put("dataset", dataset.uri()).put("max_concurrency", maxConcurrency);
        reference.ifPresent(r -> json.put("reference", r.uri()));
        schema.forEach(spec -> json.withArray("columns").addObject().put("name", spec.name())
                .put("categorical", spec.kind() == FeatureKind.CATEGORICAL));
        return json;
    }

    public static DistributedCheck fromJson(JsonNode json) {
        List<FeatureSpec> schema = new ArrayList<>();
        json.path("columns").forEach(c -> schema.add(new FeatureSpec(c.path("name").asText(),
                c.path("categorical").asBoolean() ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC)));
        return new DistributedCheck(json.path("check_id").asText(), json.path("model").asText(),
                json.path("version").asLong(), json.path("trigger").asText(),
                ObjectLocation.parse(json.path("dataset").asText(), "dataset"),
                json.hasNonNull("reference") ? Optional.of(ObjectLocation.parse(json.path("reference").asText(),
                        "reference")) : Optional.empty(), schema, json.path("max_concurrency").asInt(1));
    }
}
