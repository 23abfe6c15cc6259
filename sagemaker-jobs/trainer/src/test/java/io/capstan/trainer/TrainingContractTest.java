package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingContractTest {

    @Test
    void resolve_noRootNoVariables_sageMakerPaths() {
        TrainingContract contract = TrainingContract.resolve(null, Map.of());

        assertThat(contract.root()).isEqualTo(Path.of("/opt/ml"));
        assertThat(contract.hyperparametersFile()).isEqualTo(Path.of("/opt/ml/input/config/hyperparameters.json"));
        assertThat(contract.trainChannel()).isEqualTo(Path.of("/opt/ml/input/data/train"));
        assertThat(contract.validationChannel()).isEqualTo(Path.of("/opt/ml/input/data/validation"));
        assertThat(contract.modelDir()).isEqualTo(Path.of("/opt/ml/model"));
        assertThat(contract.failureFile()).isEqualTo(Path.of("/opt/ml/output/failure"));
        assertThat(contract.outputDataDir()).isEqualTo(Path.of("/opt/ml/output/data"));
        assertThat(contract.hyperparametersJson()).isNull();
        assertThat(contract.environmentHyperparameters()).isEmpty();
    }

    @Test
    void resolve_rootOptionAndVariable_optionWins() {
        assertThat(TrainingContract.resolve(Path.of("/a"), Map.of("CAPSTAN_ML_ROOT", "/b")).modelDir())
                .isEqualTo(Path.of("/a/model"));
        assertThat(TrainingContract.resolve(null, Map.of("CAPSTAN_ML_ROOT", "/b")).modelDir())
                .isEqualTo(Path.of("/b/model"));
    }

    @Test
    void resolve_smVariables_moveTheirPathsOnly() {
        TrainingContract contract = TrainingContract.resolve(Path.of("/root"), Map.of(
                "SM_MODEL_DIR", "/m", "SM_CHANNEL_TRAIN", "/t", "SM_CHANNEL_VALIDATION", "/v",
                "SM_OUTPUT_DATA_DIR", "/d", "SM_OUTPUT_DIR", "/o", "SM_HPS", "{\"epochs\":\"3\"}",
                "CAPSTAN_TRAIN_URI", " s3://b/train ", "SM_CHANNEL_TEST", ""));

        assertThat(contract.modelDir()).isEqualTo(Path.of("/m"));
        assertThat(contract.trainChannel()).isEqualTo(Path.of("/t"));
        assertThat(contract.validationChannel()).isEqualTo(Path.of("/v"));
        assertThat(contract.outputDataDir()).isEqualTo(Path.of("/d"));
        assertThat(contract.failureFile()).isEqualTo(Path.of("/o/failure"));
        assertThat(contract.hyperparametersFile()).isEqualTo(Path.of("/root/input/config/hyperparameters.json"));
        assertThat(contract.hyperparametersJson()).isEqualTo("{\"epochs\":\"3\"}");
        assertThat(contract.environmentHyperparameters()).containsExactly(Map.entry("train_uri", "s3://b/train"));
    }
}
