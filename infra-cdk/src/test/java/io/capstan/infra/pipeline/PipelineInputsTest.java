package io.capstan.infra.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.infra.CapstanApp;
import io.capstan.infra.function.Placeholders;
import io.capstan.infra.testutils.TestApps;
import io.capstan.pipeline.RetrainStateMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pipeline stack's inputs from the CDK context and the repository; no synthesis. */
class PipelineInputsTest {

    @Test
    void batchSettings_unset_sixteenVcpusOnDemand() {
        assertThat(BatchSettings.fromContext(CapstanApp.newApp(Map.of()))).isEqualTo(new BatchSettings(16, false));
    }

    @Test
    void batchSettings_fromStringsAsTheCommandLineGivesThem() {
        assertThat(BatchSettings.fromContext(CapstanApp.newApp(Map.of(BatchSettings.MAX_VCPUS_CONTEXT_KEY, "64",
                BatchSettings.SPOT_CONTEXT_KEY, "true")))).isEqualTo(new BatchSettings(64, true));
    }

    @Test
    void batchSettings_fewerVcpusThanOneGpuInstance_failsNamingTheKey() {
        assertThatThrownBy(() -> BatchSettings.fromContext(CapstanApp.newApp(Map.of(
                BatchSettings.MAX_VCPUS_CONTEXT_KEY, "2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(BatchSettings.MAX_VCPUS_CONTEXT_KEY);
    }

    @Test
    void batchSettings_spotNotABoolean_fails() {
        assertThatThrownBy(() -> BatchSettings.fromContext(CapstanApp.newApp(Map.of(
                BatchSettings.SPOT_CONTEXT_KEY, "yes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(BatchSettings.SPOT_CONTEXT_KEY);
    }

    @ParameterizedTest
    @CsvSource({"4, 1", "16, 1", "47, 1", "48, 4", "95, 4", "96, 8", "192, 8", "10000, 8"})
    void batchSettings_maxGpusPerJob_isWhatTheLargestGpuInstanceWithinTheLimitHolds(int maxvCpus, int gpus) {
        assertThat(new BatchSettings(maxvCpus, false).maxGpusPerJob()).isEqualTo(gpus);
    }

    @Test
    void batchSettings_gpuInstanceTypes_areOfTheFamiliesTheComputeEnvironmentLaunchesAndHoldAJob() {
        assertThat(BatchSettings.GPU_INSTANCE_TYPES).allSatisfy(type -> {
            assertThat(BatchTraining.GPU_INSTANCE_CLASSES).extracting(Object::toString)
                    .anySatisfy(family -> assertThat(type.name()).startsWithIgnoringCase(family + "."));
            assertThat(type.vcpus()).isGreaterThanOrEqualTo(BatchTraining.JOB_VCPUS);
        });
        // no instance holds more GPUs than a job may ask for (training.gpu_count 0..8)
        assertThat(new BatchSettings(10_000, false).maxGpusPerJob()).isEqualTo(8);
    }

    @Test
    void sources_trainerNotPackagedWithPlaceholders_isAStandInWhoseBuildFailsNamingTheBuild(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        PipelineSources sources = new PipelineSources(dir.resolve("retrain.asl.json"), dir, true);

        Path standIn = sources.checkedTrainerDirectory();

        assertThat(standIn).isNotEqualTo(dir);
        assertThat(Files.readString(standIn.resolve("Dockerfile")))
                .contains("mvn -B -DskipTests package -pl\n# sagemaker-jobs/trainer -am")
                .contains("COPY trainer-not-packaged");
        assertThat(standIn.resolve("trainer-not-packaged-run-mvn-package-and-deploy-without-capstan-placeholderCode"))
                .doesNotExist();
    }

    @Test
    void sources_trainerPackagedWithPlaceholders_isTheRealBuildContext(@TempDir Path dir) {
        Path trainer = TestApps.writeStandInTrainer(dir.resolve("trainer"));

        assertThat(new PipelineSources(dir.resolve("retrain.asl.json"), trainer, true).checkedTrainerDirectory())
                .isEqualTo(trainer.toAbsolutePath().normalize());
    }

    @Test
    void placeholders_contextValueNotABoolean_failsNamingTheKey() {
        assertThatThrownBy(() -> Placeholders.enabled(CapstanApp.newApp(Map.of(Placeholders.CONTEXT_KEY, "yes"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Placeholders.CONTEXT_KEY);
        assertThat(Placeholders.enabled(CapstanApp.newApp(Map.of(Placeholders.CONTEXT_KEY, "true")))).isTrue();
        assertThat(Placeholders.enabled(CapstanApp.newApp(Map.of()))).isFalse();
    }

    @Test
    void sources_default_areTheRepositoryFilesSeenFromInfraCdk() {
        PipelineSources sources = PipelineSources.fromContext(CapstanApp.newApp(Map.of()));

        assertThat(sources.definitionFile()).isEqualTo(Path.of("..", RetrainStateMachine.DEFINITION)
                .toAbsolutePath().normalize()).isRegularFile();
        assertThat(sources.trainerDirectory().resolve("Dockerfile")).isRegularFile();
        assertThat(RetrainingStateMachine.variablesOf(sources.definition()))
                .containsExactlyInAnyOrderElementsOf(RetrainStateMachine.SUBSTITUTIONS);
    }

    @Test
    void sources_trainerNotPackaged_failsNamingTheBuildCommand(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        PipelineSources sources = new PipelineSources(dir.resolve("retrain.asl.json"), dir);

        assertThatThrownBy(sources::checkedTrainerDirectory)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mvn -B -DskipTests package -pl sagemaker-jobs/trainer -am");
    }

    @Test
    void sources_trainerPackaged_isTheBuildContext(@TempDir Path dir) {
        Path trainer = TestApps.writeStandInTrainer(dir.resolve("trainer"));

        assertThat(new PipelineSources(dir.resolve("retrain.asl.json"), trainer).checkedTrainerDirectory())
                .isEqualTo(trainer.toAbsolutePath().normalize());
    }

    @Test
    void sources_definitionMissing_failsNamingTheContextKey(@TempDir Path dir) {
        assertThatThrownBy(() -> new PipelineSources(dir.resolve("retrain.asl.json"), dir).definition())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(PipelineSources.REPOSITORY_CONTEXT_KEY);
    }
}
