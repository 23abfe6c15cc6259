package io.capstan.predict.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ServingManifest;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.testutils.Hashes;
import io.capstan.predict.testutils.InMemoryRegistryStore;
import io.capstan.predict.testutils.OnnxFixture;
import io.capstan.predict.testutils.OnnxFixtures;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import io.capstan.provenance.Provenance;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.ModelVersionStatus;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.Servability;
import io.capstan.registry.Stage;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry resolver against the registry's copies in S3 (S3Proxy): the serving manifest beside a version's copy,
 * the card of a version registered before manifests, and versions the registry found not servable.
 */
class RegistryModelResolverTest {
    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("artifacts");
    private InMemoryRegistryStore registry;
    private S3ArtifactStore artifacts;
    private RegistryModelResolver resolver;

    @BeforeEach
    void newRegistry() {
        artifacts = new S3ArtifactStore(s3.client(), s3.presigner(), s3.bucket());
        registry = new InMemoryRegistryStore();
        resolver = new RegistryModelResolver(registry, artifacts, new MutableClock(Instant.parse(
                "2026-05-06T10:00:00Z")), new SplittableRandom(1));
    }

    @Test
    void resolve_versionWithServingManifest_carriesItAndFetchesTheFileItNames() {
        OnnxFixture iris = OnnxFixtures.load("sklearn-iris-zipmap");
        ServingManifest manifest = irisManifest(iris);
        artifacts.put("registry/iris/1/abc/model/model.onnx", iris.onnx());
        artifacts.put("registry/iris/1/abc/" + ServingManifest.FILE_NAME, manifest.toJson());
        register("iris", "registry/iris/1/abc", Hashes.sha256(iris.onnx()), Servability.SERVABLE);

        ResolvedModel resolved = resolver.resolve(ModelReference.champion("iris"), Optional.empty());

        assertThat(resolved.manifest()).isEqualTo(ServingManifest.fromJson(manifest.toJson()));
        assertThat(resolved.flavor()).isEqualTo(ServingManifest.Flavor.MLFLOW_ONNX);
        assertThat(resolved.card().labelOutput()).isEqualTo("output_label");
        assertThat(resolved.onnx().fetch()).isEqualTo(iris.onnx());
    }

    @Test
    void resolve_recordsInputs_onlyWhenTheModelsTagSaysTrue() {
        OnnxFixture iris = OnnxFixtures.load("sklearn-iris-zipmap");
        ServingManifest manifest = irisManifest(iris);
        Map<String, Boolean> expected = Map.of("plain", false, "asked", true, "shouted", true, "unsure", false);
        Map<String, Map<String, String>> tags = Map.of("plain", Map.of(), "asked",
                Map.of(PredictionKeys.RECORD_INPUTS_TAG, "true"), "shouted", Map.of(PredictionKeys.RECORD_INPUTS_TAG,
                " TRUE "), "unsure", Map.of(PredictionKeys.RECORD_INPUTS_TAG, "yes"));
        for (String name : expected.keySet()) {
            artifacts.put("registry/" + name + "/1/abc/model/model.onnx", iris.onnx());
            artifacts.put("registry/" + name + "/1/abc/" + ServingManifest.FILE_NAME, manifest.toJson());
            register(name, "registry/" + name + "/1/abc", Hashes.sha256(iris.onnx()), Servability.SERVABLE,
                    tags.get(name));

            assertThat(resolver.resolve(ModelReference.champion(name), Optional.empty()).recordInputs()).as(name)
                    .isEqualTo(expected.get(name));
        }
    }

    @Test
    void resolve_versionOfRelease1WithoutManifest_servesItsCardAsCapstansFlavor() {
        TrainedModel model = TrainedModels.iris();
        artifacts.put("registry/old/1/def/model.onnx", model.onnx());
        artifacts.put("registry/old/1/def/model-card.json", model.card().toJson());
        register("old", "registry/old/1/def", model.sha256(), null);

        ResolvedModel resolved = resolver.resolve(ModelReference.champion("old"), Optional.empty());

        assertThat(resolved.flavor()).isEqualTo(ServingManifest.Flavor.CAPSTAN);
        assertThat(resolved.card()).isEqualTo(model.card());
        assertThat(resolved.manifest().modelFile()).isEqualTo("model.onnx");
        assertThat(resolved.manifest().graph().inputs()).isEmpty();
        assertThat(resolved.onnx().fetch()).isEqualTo(model.onnx());
    }

    @Test
    void resolve_readyVersionThatIsNotServable_answers400WithTheRegistrysReason() {
        register("pickled", "registry/pickled/1/0123", null, Servability.notServable("it holds an sklearn pickle"
                + " (flavors sklearn, python_function) and no ONNX model; convert it with skl2onnx and log it with"
                + " mlflow.onnx.log_model"));

        assertThatThrownBy(() -> resolver.resolve(ModelReference.champion("pickled"), Optional.empty()))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
                    assertThat(e.errorCode().httpStatus()).isEqualTo(400);
                })
                .hasMessage("Version 1 of model 'pickled' cannot be served: it holds an sklearn pickle (flavors"
                        + " sklearn, python_function) and no ONNX model; convert it with skl2onnx and log it with"
                        + " mlflow.onnx.log_model");
    }

    @Test
    void resolve_manifestChangedAfterRegistration_isRefusedNamingBothDigests() {
        OnnxFixture iris = OnnxFixtures.load("sklearn-iris-zipmap");
        ServingManifest manifest = new ServingManifest(ServingManifest.FORMAT_VERSION,
                ServingManifest.Flavor.MLFLOW_ONNX, "model.onnx", Hashes.sha256(iris.onnx()),
                OnnxFixtures.irisZipmapCard(), iris.graph(), iris.signature());
        byte[] registered = manifest.toJson();
        artifacts.put("registry/iris/1/abc/model.onnx", iris.onnx());
        artifacts.put("registry/iris/1/abc/" + ServingManifest.FILE_NAME, registered);
        register("iris", "registry/iris/1/abc", Hashes.sha256(iris.onnx()),
                Servability.servableBy(Hashes.sha256(registered)));
        ServingManifest reversed = new ServingManifest(ServingManifest.FORMAT_VERSION,
                ServingManifest.Flavor.MLFLOW_ONNX, "model.onnx", Hashes.sha256(iris.onnx()), null, iris.graph(),
                iris.signature());
        artifacts.put("registry/iris/1/abc/" + ServingManifest.FILE_NAME, reversed.toJson());

        assertThatThrownBy(() -> resolver.resolve(ModelReference.champion("iris"), Optional.empty()))
                .isInstanceOfSatisfying(CapstanException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_STATE);
                    assertThat(e.getMessage()).contains("changed after registration").contains(Hashes.sha256(registered));
                });
    }

    @Test
    void resolve_profileChangedAfterRegistration_isNotHandedToCapture() {
        OnnxFixture iris = OnnxFixtures.load("sklearn-iris-zipmap");
        byte[] profile = "{\"format_version\": 1, \"row_count\": 1, \"features\": []}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8);
        byte[] registered = new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.MLFLOW_ONNX,
                "model.onnx", Hashes.sha256(iris.onnx()), OnnxFixtures.irisZipmapCard(), iris.graph(),
                iris.signature(), Hashes.sha256(profile)).toJson();
        artifacts.put("registry/iris/1/abc/model.onnx", iris.onnx());
        artifacts.put("registry/iris/1/abc/" + ServingManifest.FILE_NAME, registered);
        artifacts.put("registry/iris/1/abc/" + ServingManifest.PROFILE_FILE, profile);
        register("iris", "registry/iris/1/abc", Hashes.sha256(iris.onnx()),
                Servability.servableBy(Hashes.sha256(registered)));
        ResolvedModel resolved = resolver.resolve(ModelReference.champion("iris"), Optional.empty());
        assertThat(resolved.referenceProfile().fetch()).contains(profile);

        artifacts.put("registry/iris/1/abc/" + ServingManifest.PROFILE_FILE, "{}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> resolved.referenceProfile().fetch()).isInstanceOf(CapstanException.class)
                .hasMessageContaining("profile.json has SHA-256");
    }

    private static ServingManifest irisManifest(OnnxFixture iris) {
        return new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.MLFLOW_ONNX,
                "model/model.onnx", Hashes.sha256(iris.onnx()), OnnxFixtures.irisZipmapCard(), iris.graph(),
                iris.signature());
    }

    private void register(String name, String folder, String sha256, Servability serving) {
        register(name, folder, sha256, serving, Map.of());
    }

    private void register(String name, String folder, String sha256, Servability serving, Map<String, String> tags) {
        registry.createModel(new RegisteredModel(name, 1, 1, "", tags, Map.of("champion", 1L), null));
        Provenance provenance = new Provenance(sha256, null, List.of(), Provenance.UNKNOWN.trainer(),
                Provenance.UNKNOWN.code(), Provenance.UNKNOWN.runtime(), Map.of());
        registry.createVersion(new ModelVersion(name, 1, 1, 1, "", Stage.NONE, "", "runs:/r/model", "", "",
                ModelVersionStatus.READY, "", Map.of(), "mlflow-artifacts:/" + folder, provenance, "", serving));
    }
}
