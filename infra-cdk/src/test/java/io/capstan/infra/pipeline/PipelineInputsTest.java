package io.capstan.infra.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.infra.CapstanApp;
import io.capstan.infra.testutils.TestApps;
import io.capstan.pipeline.RetrainStateMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
