package io.capstan.modelformat;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.modelformat.ServingDerivation.Contradiction;
import io.capstan.modelformat.ServingDerivation.Derivation;
import io.capstan.modelformat.ServingDerivation.NotServable;
import io.capstan.modelformat.ServingDerivation.Servable;
import io.capstan.modelformat.testutils.OnnxFixtures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServingDerivationTest {
    private static final String SHA = "0".repeat(64);

    @Test
    void derive_zipMapClassifierWithColumns_getsATabularCard() {
        ServingManifest manifest = servable("sklearn-iris-zipmap");

        ModelCard card = manifest.card();
        assertThat(manifest.flavor()).isEqualTo(ServingManifest.Flavor.MLFLOW_ONNX);
        assertThat(card.task()).isEqualTo(ModelCard.Task.CLASSIFICATION);
        assertThat(card.inputTensor()).isEqualTo("float_input");
        assertThat(card.features()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(card.outputTensor()).isEqualTo("output_probability");
        assertThat(card.labelOutput()).isEqualTo("output_label");
        assertThat(card.probabilities()).isEqualTo(ModelCard.ProbabilityLayout.ZIPMAP);
        assertThat(card.outputLabels()).containsExactly("0", "1", "2");
    }

    @Test
    void derive_treeEnsembleWithProbabilityMatrix_getsAMatrixCard() {
        ModelCard card = servable("xgboost-breast-cancer").card();

        assertThat(card.features()).hasSize(30);
        assertThat(card.outputTensor()).isEqualTo("probabilities");
        assertThat(card.labelOutput()).isEqualTo("label");
        assertThat(card.probabilities()).isEqualTo(ModelCard.ProbabilityLayout.MATRIX);
    }

    @Test
    void derive_regressor_getsARegressionCard() {
        ModelCard card = servable("sklearn-wine-regressor").card();

        assertThat(card.task()).isEqualTo(ModelCard.Task.REGRESSION);
        assertThat(card.outputTensor()).isEqualTo("variable");
        assertThat(card.features()).hasSize(12).doesNotContain("alcohol");
    }

    @Test
    void derive_tensorSignatureTorchPerColumnOrNoSignature_isServedAsTensors() {
        for (String fixture : List.of("sklearn-iris-strings-nozipmap", "torch-two-inputs", "torch-image",
                "sklearn-mixed-columns")) {
            ServingManifest manifest = servable(fixture);

            assertThat(manifest.card()).as(fixture).isNull();
            assertThat(manifest.graph().inputs()).as(fixture).isNotEmpty();
        }
        assertThat(servable("torch-image").signature()).isNull();
        assertThat(servable("sklearn-mixed-columns").graph().inputNames()).hasSize(3);
    }

    @Test
    void derive_signatureWithAnotherColumnCount_isAContradictionNamingBoth() {
        Derivation derivation = derive("signature-mismatch");

        assertThat(derivation).isInstanceOf(Contradiction.class);
        assertThat(((Contradiction) derivation).reason()).contains("lists 5 input columns").contains("float_input")
                .contains("4 values per row");
    }

    @Test
    void derive_tensorSignatureNamingAnUnknownInput_isAContradiction() {
        MlModel renamed = MlModel.parse(("flavors:\n  onnx: {data: model.onnx}\nsignature:\n  inputs: '["
                + "{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 4]}, \"name\": \"x\"},"
                + "{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 2]}, \"name\":"
                + " \"extra\"}]'\n").getBytes(StandardCharsets.UTF_8));

        Derivation derivation = ServingDerivation.derive(renamed, OnnxModelFile.read(OnnxFixtures.file(
                "torch-two-inputs", "model.onnx")), "model.onnx", SHA);

        assertThat(((Contradiction) derivation).reason()).contains("'x' is not an input of the ONNX graph");
    }

    @Test
    void derive_tensorSignatureOfAnotherRank_isAContradiction() {
        MlModel flat = MlModel.parse(("flavors:\n  onnx: {data: model.onnx}\nsignature:\n  inputs: '["
                + "{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 64]}, \"name\":"
                + " \"image\"}]'\n").getBytes(StandardCharsets.UTF_8));

        Derivation derivation = ServingDerivation.derive(flat, OnnxModelFile.read(OnnxFixtures.file("torch-image",
                "model.onnx")), "model.onnx", SHA);

        assertThat(((Contradiction) derivation).reason()).contains("shape [-1, 64]").contains("rank 4");
    }

    @Test
    void derive_bareOnnxFile_isServedAsTensorsUnderTheOnnxFlavor() {
        Derivation derivation = ServingDerivation.derive(null, OnnxModelFile.read(OnnxFixtures.file(
                "sklearn-iris-zipmap", "model.onnx")), "model.onnx", SHA);

        ServingManifest manifest = ((Servable) derivation).manifest();
        assertThat(manifest.flavor()).isEqualTo(ServingManifest.Flavor.ONNX);
        assertThat(manifest.card()).isNull();
        assertThat(manifest.signature()).isNull();
    }

    @Test
    void manifest_roundTripsThroughJson() {
        ServingManifest manifest = servable("sklearn-iris-zipmap");

        ServingManifest read = ServingManifest.fromJson(manifest.toJson());

        assertThat(read).isEqualTo(manifest);
    }

    @Test
    void derive_everyServableFixture_isServable() {
        for (String fixture : OnnxFixtures.SERVABLE) {
            assertThat(derive(fixture)).as(fixture).isInstanceOf(Servable.class);
        }
        assertThat(derive("sklearn-iris-zipmap")).isNotInstanceOf(NotServable.class);
    }

    private static ServingManifest servable(String fixture) {
        Derivation derivation = derive(fixture);
        assertThat(derivation).as(fixture).isInstanceOf(Servable.class);
        return ((Servable) derivation).manifest();
    }

    private static Derivation derive(String fixture) {
        MlModel mlModel = MlModel.parse(OnnxFixtures.file(fixture, MlModel.FILE_NAME));
        OnnxModelFile onnx = OnnxModelFile.read(OnnxFixtures.file(fixture, mlModel.onnxDataFile()));
        return ServingDerivation.derive(mlModel, onnx, mlModel.onnxDataFile(), SHA);
    }
}
