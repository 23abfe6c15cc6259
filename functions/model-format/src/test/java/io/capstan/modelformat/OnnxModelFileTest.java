package io.capstan.modelformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.model.GraphValue;
import io.capstan.model.InvalidModelFormatException;
import io.capstan.modelformat.testutils.OnnxFixtures;
import org.junit.jupiter.api.Test;

class OnnxModelFileTest {

    @Test
    void read_skl2onnxZipMapClassifier_findsLabelsAndOutputs() {
        OnnxModelFile file = OnnxModelFile.read(OnnxFixtures.file("sklearn-iris-zipmap", "model.onnx"));

        assertThat(file.kind()).isEqualTo(OnnxModelFile.Kind.CLASSIFIER);
        assertThat(file.classLabels()).containsExactly("0", "1", "2");
        assertThat(file.graph().inputs()).containsExactly(GraphValue.tensor("float_input", "float", java.util.List.of(-1L, 4L)));
        assertThat(file.graph().outputs().get(0)).isEqualTo(GraphValue.tensor("output_label", "int64",
                java.util.List.of(-1L)));
        GraphValue probabilities = file.graph().outputs().get(1);
        assertThat(probabilities.kind()).isEqualTo(GraphValue.Kind.SEQUENCE_OF_MAPS);
        assertThat(probabilities.keyType()).isEqualTo("int64");
        assertThat(probabilities.elementType()).isEqualTo("float");
        assertThat(file.graph().opsets()).containsEntry("ai.onnx.ml", 1L);
        assertThat(file.graph().producer()).startsWith("skl2onnx");
    }

    @Test
    void read_stringLabels_keepsTheirText() {
        OnnxModelFile file = OnnxModelFile.read(OnnxFixtures.file("sklearn-iris-strings-nozipmap", "model.onnx"));

        assertThat(file.classLabels()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(file.graph().output("output_probability").orElseThrow().shape()).containsExactly(-1L, 3L);
    }

    @Test
    void read_regressorAndTreeEnsemble_tellTheirKind() {
        assertThat(OnnxModelFile.read(OnnxFixtures.file("sklearn-wine-regressor", "model.onnx")).kind())
                .isEqualTo(OnnxModelFile.Kind.REGRESSOR);
        OnnxModelFile trees = OnnxModelFile.read(OnnxFixtures.file("xgboost-breast-cancer", "model.onnx"));
        assertThat(trees.kind()).isEqualTo(OnnxModelFile.Kind.CLASSIFIER);
        assertThat(trees.classLabels()).containsExactly("0", "1");
    }

    @Test
    void read_torchExport_hasNamedInputsWithOpenBatchAxes() {
        OnnxModelFile file = OnnxModelFile.read(OnnxFixtures.file("torch-two-inputs", "model.onnx"));

        assertThat(file.kind()).isEqualTo(OnnxModelFile.Kind.UNKNOWN);
        assertThat(file.graph().inputNames()).containsExactly("numeric", "extra");
        assertThat(file.graph().input("numeric").orElseThrow().shape()).containsExactly(-1L, 4L);
        assertThat(file.graph().outputNames()).containsExactly("logits", "embedding");
        assertThat(file.classLabels()).isEmpty();
    }

    @Test
    void read_truncatedFile_failsAsNotAModel() {
        assertThatThrownBy(() -> OnnxModelFile.read(OnnxFixtures.file("corrupt-onnx", "model.onnx")))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("not a readable ONNX model");
        assertThatThrownBy(() -> OnnxModelFile.read(new byte[0]))
                .isInstanceOf(InvalidModelFormatException.class).hasMessageContaining("no graph");
    }
}
