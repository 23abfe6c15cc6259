package io.capstan.registry.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.HttpResponse;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.provenance.Sha256;
import io.capstan.registry.testutils.RegistryTestPlatform;
import io.capstan.registry.testutils.TrainedModel;
import io.capstan.tracking.Run;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry function over its HTTP model, on DynamoDB Local, S3Proxy, ONNX Runtime and a Tribuo model. */
class RegistryFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MLFLOW = "/api/2.0/mlflow";
    private static final String CAPSTAN = "/api/2.0/capstan/registry";

    private static RegistryTestPlatform platform;
    private static TrainedModel model;

    @BeforeAll
    static void start() throws Exception {
        platform = new RegistryTestPlatform();
        model = TrainedModel.breastCancer();
    }

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void createModelVersion_fromRunFolder_isReadyWithItsProvenance() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", model.folder());

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\", \"run_id\": \"" + run.info().runId() + "\"}"))
                .get("model_version");
        JsonNode provenance = json(platform.get(CAPSTAN + "/model-versions/provenance", "name=" + name + "&version=1"))
                .get("provenance");
        String downloadUri = json(platform.get(MLFLOW + "/model-versions/get-download-uri", "name=" + name
                + "&version=1")).get("artifact_uri").asText();

        assertThat(version.get("version").asText()).isEqualTo("1");
        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.get("current_stage").asText()).isEqualTo("None");
        assertThat(version.get("user_id").asText()).isEqualTo("ada@example.com");
        assertThat(provenance.get("model_sha256").asText()).isEqualTo(Sha256.hex(model.onnx()));
        assertThat(provenance.get("source_run_id").asText()).isEqualTo(run.info().runId());
        assertThat(provenance.at("/trainer/algorithm").asText()).isEqualTo("logistic-regression");
        assertThat(provenance.at("/trainer/seed").asText()).isEqualTo("42");
        assertThat(provenance.at("/trainer/hyperparameters/epochs").asText()).isEqualTo("3");
        assertThat(provenance.at("/code/commit").asText()).isEqualTo("0a1b2c3");
        assertThat(provenance.at("/datasets/0/digest").asText()).isEqualTo("9f3c2d");
        assertThat(provenance.at("/metrics/accuracy").asDouble()).isEqualTo(0.97);
        assertThat(provenance.at("/runtime/onnx_runtime").asText()).isEqualTo("1.29.0");
        assertThat(downloadUri).startsWith("mlflow-artifacts:/registry/" + name + "/1/");
        String folder = downloadUri.substring("mlflow-artifacts:/".length());
        byte[] manifest = stored(folder + "/" + ServingManifest.FILE_NAME);
        JsonNode serving = json(platform.get(CAPSTAN + "/model-versions/provenance", "name=" + name + "&version=1"))
                .get("serving");
        assertThat(serving.get("manifest_sha256").asText()).isEqualTo(Sha256.hex(manifest));
        assertThat(ServingManifest.fromJson(manifest).profileSha256()).as("a folder without a profile").isNull();
        String copied = folder + "/model.onnx";
        assertThat(platform.artifacts.get(copied)).get().satisfies(c -> assertThat(c.stream().readAllBytes())
                .isEqualTo(model.onnx()));
    }

    @Test
    void createModelVersion_fromSageMakerTarball_isReady() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("output", Map.of("model.tar.gz", tarGz(model.folder())));

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/output/model.tar.gz\"}")).get("model_version");

        assertThat(version.get("status").asText()).as(version.toString()).isEqualTo("READY");
    }

    @Test
    void createModelVersion_withReferenceProfile_copiesItBesideTheModel() throws Exception {
        String name = newModel();
        Map<String, byte[]> files = model.folderWithProfile();
        Run run = platform.runWithArtifacts("model", files);

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");

        assertThat(version.get("status").asText()).as(version.toString()).isEqualTo("READY");
        String folder = registeredFolder(name, 1);
        assertThat(folder).isEqualTo("registry/" + name + "/1/" + Sha256.hex(model.onnx())
                .substring(0, 16));
        assertThat(stored(folder + "/" + DatasetProfile.FILE_NAME)).isEqualTo(files.get(DatasetProfile.FILE_NAME));
        assertThat(stored(folder + "/model.onnx")).isEqualTo(model.onnx());
        assertThat(ServingManifest.fromJson(stored(folder + "/" + ServingManifest.FILE_NAME)).profileSha256())
                .as("the digest every reader checks the profile against")
                .isEqualTo(Sha256.hex(files.get(DatasetProfile.FILE_NAME)));
    }

    @Test
    void createModelVersion_sageMakerTarballWithProfile_copiesTheProfile() throws Exception {
        String name = newModel();
        Map<String, byte[]> files = model.folderWithProfile();
        Run run = platform.runWithArtifacts("output", Map.of("model.tar.gz", tarGz(files)));

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/output/model.tar.gz\"}")).get("model_version");

        assertThat(version.get("status").asText()).as(version.toString()).isEqualTo("READY");
        assertThat(stored(registeredFolder(name, 1) + "/" + DatasetProfile.FILE_NAME))
                .isEqualTo(files.get(DatasetProfile.FILE_NAME));
    }

    @Test
    void createModelVersion_withoutProfile_isReadyWithNoProfileCopied() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", model.folder());

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");

        assertThat(version.get("status").asText()).isEqualTo("READY");
        String folder = registeredFolder(name, 1);
        assertThat(platform.artifacts.get(folder + "/model.onnx")).isPresent();
        assertThat(platform.artifacts.get(folder + "/" + DatasetProfile.FILE_NAME)).isEmpty();
    }

    @Test
    void createModelVersion_unreadableProfile_failsNamingTheFile() throws Exception {
        assertFailedRegistration(Map.of("model.onnx", model.onnx(), ModelCard.FILE_NAME, model.card().toJson(),
                DatasetProfile.FILE_NAME, "{\"features\": []}".getBytes()), "The reference profile (profile.json) is not valid");
    }

    @Test
    void createModelVersion_profileOfOtherColumns_failsNamingThem() throws Exception {
        DatasetProfile other = ProfileBuilder.create(SketchParameters.defaults())
                .numeric("mean_radius", new double[] {1, 2}).numeric("shoe_size", new double[] {40, 42}).build();

        assertFailedRegistration(Map.of("model.onnx", model.onnx(), ModelCard.FILE_NAME, model.card().toJson(),
                DatasetProfile.FILE_NAME, other.toJson()), "profile.json describes [shoe_size]");
    }

    @Test
    void createModelVersion_corruptOnnx_failsRegistrationAndSaysSo() throws Exception {
        assertFailedRegistration(Map.of("model.onnx", "not a protobuf".getBytes(), ModelCard.FILE_NAME,
                model.card().toJson()), "model.onnx: the ONNX file is not a readable ONNX model");
    }

    @Test
    void createModelVersion_cardDisagreesWithModel_failsNamingTheShape() throws Exception {
        assertFailedRegistration(Map.of("model.onnx", model.onnx(), ModelCard.FILE_NAME,
                model.cardMissingAFeature().toJson()), "lists 29 features, so it must be [rows, 29]");
    }

    @Test
    void createModelVersion_cardNamesAnotherOutput_failsNamingIt() throws Exception {
        ModelCard wrongOutput = ModelCard.classifier("input", model.card().features(), "probabilities",
                model.card().outputLabels(), "label");

        assertFailedRegistration(Map.of("model.onnx", model.onnx(), ModelCard.FILE_NAME, wrongOutput.toJson()),
                "names output 'probabilities', but the model's outputs are [output]");
    }

    @Test
    void createModelVersion_unreadableTarball_failsSayingSo() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("output", Map.of("model.tar.gz", "not gzip".getBytes(StandardCharsets.UTF_8)));

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name + "\", \"source\":"
                + " \"runs:/" + run.info().runId() + "/output/model.tar.gz\"}")).get("model_version");

        assertThat(version.get("status").asText()).isEqualTo("FAILED_REGISTRATION");
        assertThat(version.get("status_message").asText()).contains("not a readable .tar.gz");
    }

    @Test
    void createModelVersion_onnxWithoutCard_isServedAsNamedTensors() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", Map.of("model.onnx", model.onnx()));

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");
        ServingManifest manifest = ServingManifest.fromJson(stored(registeredFolder(name, 1) + "/"
                + ServingManifest.FILE_NAME));

        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.at("/capstan_serving/servable").asBoolean()).isTrue();
        assertThat(manifest.flavor()).isEqualTo(ServingManifest.Flavor.ONNX);
        assertThat(manifest.card()).isNull();
        assertThat(manifest.graph().inputNames()).containsExactly("input");
        assertThat(manifest.modelSha256()).isEqualTo(Sha256.hex(model.onnx()));
    }

    @Test
    void createModelVersion_missingSourceOrForeignBucket_isReadyButNotServable() throws Exception {
        String name = newModel();

        JsonNode missing = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"mlflow-artifacts:/0/nothing/here\"}")).get("model_version");
        JsonNode foreign = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"s3://someone-elses-bucket/model\"}")).get("model_version");
        JsonNode noRun = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/0123456789abcdef0123456789abcdef/model\"}")).get("model_version");
        String downloadUri = json(platform.get(MLFLOW + "/model-versions/get-download-uri", "name=" + name
                + "&version=1")).get("artifact_uri").asText();

        assertThat(List.of(missing, foreign, noRun)).allSatisfy(v -> {
            assertThat(v.get("status").asText()).isEqualTo("READY");
            assertThat(v.at("/capstan_serving/servable").asBoolean()).isFalse();
        });
        assertThat(missing.at("/capstan_serving/reason").asText()).contains("holds no files yet");
        assertThat(foreign.at("/capstan_serving/reason").asText()).contains("in bucket 'someone-elses-bucket'");
        assertThat(noRun.at("/capstan_serving/reason").asText()).contains("does not exist");
        assertThat(downloadUri).isEqualTo("mlflow-artifacts:/0/nothing/here");
    }

    @Test
    void createModelVersion_sklearnPickleWithAPlantedManifest_isReadyNotServableAndPromotionSaysWhy() throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", Map.of("MLmodel", SKLEARN_MLMODEL.getBytes(StandardCharsets.UTF_8),
                "model.pkl", new byte[] {(byte) 0x80, 4, 'K', 1, '.'}, "requirements.txt",
                "scikit-learn==1.2.1\n".getBytes(StandardCharsets.UTF_8), ServingManifest.FILE_NAME,
                "{\"planted\": true}".getBytes(StandardCharsets.UTF_8)));

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");
        HttpResponse promote = post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"1\"}");
        HttpResponse alias = post(MLFLOW + "/registered-models/alias", "{\"name\": \"" + name
                + "\", \"alias\": \"champion\", \"version\": \"1\"}");
        HttpResponse traffic = post(CAPSTAN + "/traffic", "{\"name\": \"" + name + "\", \"routes\": [{\"target\":"
                + " \"champion\", \"weight\": 100}]}");
        String folder = registeredFolder(name, 1);

        assertThat(version.get("status").asText()).isEqualTo("READY");
        assertThat(version.at("/capstan_serving/reason").asText())
                .contains("version 1 holds an sklearn pickle (flavors: python_function, sklearn)")
                .contains("skl2onnx");
        assertError(promote, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(promote).get("message").asText()).contains("holds an sklearn pickle");
        assertThat(alias.status()).as("MLflow's alias API takes any version").isEqualTo(200);
        assertError(traffic, 400, "INVALID_PARAMETER_VALUE");
        assertThat(stored(folder + "/model.pkl")).hasSize(5);
        assertThat(stored(folder + "/MLmodel")).asString(StandardCharsets.UTF_8).contains("sklearn");
        assertThat(platform.artifacts.get(folder + "/" + ServingManifest.FILE_NAME)).isEmpty();
    }

    @Test
    void createModelVersion_localOrRelativeSource_isRefusedBeforeAVersionIsTaken() throws Exception {
        String name = newModel();

        HttpResponse local = post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"/etc/passwd\"}");
        HttpResponse file = post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"file:///tmp/model\"}");
        HttpResponse relative = post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"mlflow-artifacts:/0/../registry/x\"}");
        JsonNode next = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"mlflow-artifacts:/0/nothing\"}")).get("model_version");

        assertError(local, 400, "INVALID_PARAMETER_VALUE");
        assertThat(json(local).get("message").asText()).startsWith("Invalid model version source: '/etc/passwd'.");
        assertError(file, 400, "INVALID_PARAMETER_VALUE");
        assertError(relative, 400, "INVALID_PARAMETER_VALUE");
        assertThat(next.get("version").asText()).isEqualTo("1");
    }

    @Test
    void aliases_setGetByAliasAndOnTheVersion() throws Exception {
        String name = readyModel(2);

        HttpResponse set = post(MLFLOW + "/registered-models/alias", "{\"name\": \"" + name
                + "\", \"alias\": \"champion\", \"version\": \"2\"}");
        JsonNode byAlias = json(platform.get(MLFLOW + "/registered-models/alias", "name=" + name + "&alias=champion"));
        JsonNode registered = json(platform.get(MLFLOW + "/registered-models/get", "name=" + name))
                .get("registered_model");
        HttpResponse unknown = platform.get(MLFLOW + "/registered-models/alias", "name=" + name + "&alias=nope");

        assertThat(set.status()).isEqualTo(200);
        assertThat(byAlias.at("/model_version/version").asText()).isEqualTo("2");
        assertThat(byAlias.at("/model_version/aliases/0").asText()).isEqualTo("champion");
        assertThat(registered.at("/aliases/0/alias").asText()).isEqualTo("champion");
        assertThat(registered.at("/aliases/0/version").asText()).isEqualTo("2");
        assertError(unknown, 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void promote_expectedVersionStale_isConflictAndAudited() throws Exception {
        String name = readyModel(3);
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"1\", \"reason\": \"first\"}");
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"2\", \"expected_version\": \"1\"}");

        HttpResponse stale = post(CAPSTAN + "/promote", "{\"name\": \"" + name
                + "\", \"version\": \"3\", \"expected_version\": 1, \"reason\": \"late\"}");
        JsonNode events = json(platform.get(CAPSTAN + "/audit", "name=" + name)).get("events");

        assertError(stale, 409, "RESOURCE_CONFLICT");
        assertThat(json(stale).get("message").asText()).contains("now points at version 2, not version 1");
        assertThat(events).hasSize(3);
        assertThat(events.get(2).get("applied").asBoolean()).isFalse();
        assertThat(events.get(2).get("actor").asText()).isEqualTo("ada@example.com");
        assertThat(events.get(2).get("reason").asText()).isEqualTo("late");
    }

    @Test
    void rollback_returnsThePreviousChampion() throws Exception {
        String name = readyModel(2);
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"1\"}");
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"2\"}");

        JsonNode rolledBack = json(post(CAPSTAN + "/rollback", "{\"name\": \"" + name + "\", \"reason\": \"bad v2\"}"));

        assertThat(rolledBack.at("/model_version/version").asText()).isEqualTo("1");
        assertThat(rolledBack.at("/event/action").asText()).isEqualTo("rollback");
        assertThat(rolledBack.at("/event/from_version").asText()).isEqualTo("2");
    }

    @Test
    void trafficPolicy_setReadAndClear() throws Exception {
        String name = readyModel(2);
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"1\"}");
        post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"2\", \"alias\": \"challenger\"}");

        JsonNode set = json(post(CAPSTAN + "/traffic", "{\"name\": \"" + name + "\", \"routes\": [{\"target\": "
                + "\"champion\", \"weight\": 90}, {\"target\": \"challenger\", \"weight\": 10}], \"reason\": \"canary\"}"));
        HttpResponse cleared = platform.call("DELETE", CAPSTAN + "/traffic", "{\"name\": \"" + name + "\"}");
        JsonNode after = json(platform.get(CAPSTAN + "/traffic", "name=" + name));

        assertThat(set.at("/traffic_policy/routes/0/version").asText()).isEqualTo("1");
        assertThat(set.at("/traffic_policy/routes/1/target").asText()).isEqualTo("challenger");
        assertThat(set.at("/traffic_policy/routes/1/version").asText()).isEqualTo("2");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(after.has("traffic_policy")).isFalse();
    }

    @Test
    void transitionStage_viaMlflowEndpoint_archivesExisting() throws Exception {
        String name = readyModel(2);
        post(MLFLOW + "/model-versions/transition-stage", "{\"name\": \"" + name + "\", \"version\": \"1\", \"stage\":"
                + " \"production\", \"archive_existing_versions\": false}");

        JsonNode moved = json(post(MLFLOW + "/model-versions/transition-stage", "{\"name\": \"" + name
                + "\", \"version\": \"2\", \"stage\": \"Production\", \"archive_existing_versions\": true}"));
        JsonNode latest = json(post(MLFLOW + "/registered-models/get-latest-versions", "{\"name\": \"" + name
                + "\", \"stages\": [\"Archived\"]}"));

        assertThat(moved.at("/model_version/current_stage").asText()).isEqualTo("Production");
        assertThat(latest.at("/model_versions/0/version").asText()).isEqualTo("1");
    }

    private void assertFailedRegistration(Map<String, byte[]> files, String message) throws Exception {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", files);

        JsonNode version = json(post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name
                + "\", \"source\": \"runs:/" + run.info().runId() + "/model\"}")).get("model_version");
        HttpResponse promote = post(CAPSTAN + "/promote", "{\"name\": \"" + name + "\", \"version\": \"1\"}");

        assertThat(version.get("status").asText()).isEqualTo("FAILED_REGISTRATION");
        assertThat(version.get("status_message").asText()).contains(message);
        assertError(promote, 400, "INVALID_PARAMETER_VALUE");
    }

    /** The key of the registry's own copy of a version: its storage location in the artifact store. */
    private String registeredFolder(String name, int version) throws Exception {
        String uri = json(platform.get(MLFLOW + "/model-versions/get-download-uri", "name=" + name + "&version="
                + version)).get("artifact_uri").asText();
        assertThat(uri).startsWith("mlflow-artifacts:/");
        return uri.substring("mlflow-artifacts:/".length());
    }

    private static byte[] stored(String key) throws Exception {
        try (var in = platform.artifacts.get(key).orElseThrow(() -> new AssertionError("no object " + key)).stream()) {
            return in.readAllBytes();
        }
    }

    private static final String SKLEARN_MLMODEL = """
            artifact_path: model
            flavors:
              python_function:
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.sklearn
                model_path: model.pkl
                predict_fn: predict
                python_version: 3.11.2
              sklearn:
                code: null
                pickled_model: model.pkl
                serialization_format: cloudpickle
                sklearn_version: 1.2.1
            mlflow_version: 2.12.2
            model_size_bytes: 5
            model_uuid: 1f1e6e0c2b6f4e8f9d5b2b5f0e6c1a2b
            run_id: 0123456789abcdef0123456789abcdef
            utc_time_created: '2026-12-02 10:00:00.000000'
            """;

    private String readyModel(int versions) {
        String name = newModel();
        Run run = platform.runWithArtifacts("model", model.folder());
        for (int i = 0; i < versions; i++) {
            post(MLFLOW + "/model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"runs:/"
                    + run.info().runId() + "/model\"}");
        }
        return name;
    }

    private String newModel() {
        String name = "bc-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(post(MLFLOW + "/registered-models/create", "{\"name\": \"" + name + "\"}").status()).isEqualTo(200);
        return name;
    }

    private static HttpResponse post(String path, String body) {
        return platform.call("POST", path, body);
    }

    private static JsonNode json(HttpResponse response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse response, int status, String code) throws Exception {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(status);
        assertThat(json(response).get("error_code").asText()).isEqualTo(code);
    }

    private static byte[] tarGz(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
