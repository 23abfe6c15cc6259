package io.capstan.modelformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.model.InvalidModelFormatException;
import io.capstan.model.ModelSignature;
import io.capstan.modelformat.testutils.OnnxFixtures;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MlModelTest {

    @Test
    void parse_onnxFlavorWithColumnSignature_readsFlavorsDataFileAndColumns() {
        MlModel mlModel = MlModel.parse(OnnxFixtures.file("sklearn-iris-zipmap", MlModel.FILE_NAME));

        assertThat(mlModel.flavors()).containsExactly("onnx", "python_function");
        assertThat(mlModel.onnxDataFile()).isEqualTo("model.onnx");
        assertThat(mlModel.pyfuncLoader()).isEqualTo("mlflow.onnx");
        assertThat(mlModel.inputExample()).isEqualTo("input_example.json");
        assertThat(mlModel.mlflowVersion()).isEqualTo("2.12.2");
        assertThat(mlModel.signature().inputsAreNamedColumns()).isTrue();
        assertThat(mlModel.signature().inputs()).extracting(ModelSignature.Spec::name)
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(mlModel.signature().inputs()).extracting(ModelSignature.Spec::type).containsOnly("double");
        assertThat(mlModel.signature().params()).isEmpty();
    }

    @Test
    void parse_tensorSignature_readsDtypeAndShape() {
        MlModel mlModel = MlModel.parse(OnnxFixtures.file("torch-two-inputs", MlModel.FILE_NAME));

        assertThat(mlModel.signature().inputsAreTensors()).isTrue();
        assertThat(mlModel.signature().inputs()).extracting(ModelSignature.Spec::name)
                .containsExactly("numeric", "extra");
        assertThat(mlModel.signature().inputs().get(0).dtype()).isEqualTo("float32");
        assertThat(mlModel.signature().inputs().get(0).shape()).containsExactly(-1L, 4L);
    }

    @Test
    void parse_sklearnPickle_hasNoOnnxFlavor() {
        MlModel mlModel = MlModel.parse(OnnxFixtures.file("sklearn-pickle", MlModel.FILE_NAME));

        assertThat(mlModel.onnxDataFile()).isNull();
        assertThat(mlModel.hasFlavor("sklearn")).isTrue();
        assertThat(mlModel.pyfuncLoader()).isEqualTo("mlflow.sklearn");
    }

    @Test
    void parse_noSignature_leavesItNull() {
        MlModel mlModel = MlModel.parse(OnnxFixtures.file("torch-image", MlModel.FILE_NAME));

        assertThat(mlModel.signature()).isNull();
        assertThat(mlModel.onnxDataFile()).isEqualTo("model.onnx");
    }

    @Test
    void parse_paramsSchema_readsNamesTypesAndDefaults() {
        String yaml = """
                flavors:
                  onnx: {data: model.onnx}
                signature:
                  inputs: '[{"type": "double", "name": "x", "required": true}]'
                  outputs: null
                  params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
                """;

        ModelSignature signature = MlModel.parse(yaml.getBytes(StandardCharsets.UTF_8)).signature();

        assertThat(signature.params()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("threshold");
            assertThat(p.type()).isEqualTo("double");
            assertThat(p.defaultJson()).isEqualTo("0.5");
            assertThat(p.shape()).isNull();
        });
    }

    @Test
    void parse_notYamlOrNoFlavors_failsSayingWhy() {
        assertThatThrownBy(() -> MlModel.parse("flavors: [unclosed".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> MlModel.parse("artifact_path: model\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("no 'flavors' mapping");
    }

    @Test
    void parse_onnxDataOutsideTheFolder_isRefused() {
        String yaml = "flavors:\n  onnx:\n    data: ../../registry/other/model.onnx\n";

        assertThatThrownBy(() -> MlModel.parse(yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("must be a path inside the model");
    }

    @Test
    void parse_malformedSignature_namesThePart() {
        String yaml = "flavors:\n  onnx: {data: model.onnx}\nsignature:\n  inputs: '{\"type\": \"double\"}'\n";

        assertThatThrownBy(() -> MlModel.parse(yaml.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("signature's inputs must be a JSON list");
    }
}
