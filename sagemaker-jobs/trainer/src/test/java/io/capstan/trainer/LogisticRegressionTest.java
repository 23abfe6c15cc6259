package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.trainer.testutils.MlRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The default algorithm on the breast-cancer data: accuracy, reproducibility, and the per-epoch history. */
class LogisticRegressionTest {

    private static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})");

    @TempDir
    Path temp;

    @Test
    void train_breastCancer_heldOutAccuracyAtLeast95Percent() {
        MlRoot root = MlRoot.in(temp).channel("train", "breast_cancer.csv");

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode metrics = root.metrics();
        assertThat(metrics.get("dataset").get("rows").get("validation").asInt()).isEqualTo(113);
        assertThat(metrics.get("final").get("validation_accuracy").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(metrics.get("final").get("validation_macro_f1").asDouble()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void train_sameSeedTwice_identicalPredictionsAndMetricsAndOnlyTimestampsDifferInTheOnnxFile() throws IOException {
        MlRoot first = MlRoot.in(temp.resolve("first")).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("epochs", 10, "seed", 1234));
        MlRoot second = MlRoot.in(temp.resolve("second")).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("epochs", 10, "seed", 1234));

        MlRoot.Run firstRun = first.train(Map.of());
        MlRoot.Run secondRun = second.train(Map.of());

        assertThat(firstRun.exitCode()).isZero();
        assertThat(secondRun.exitCode()).isZero();
        assertThat(first.model("validation-predictions.csv"))
                .hasSameBinaryContentAs(second.model("validation-predictions.csv"));
        assertThat(first.model("model-card.json")).hasSameBinaryContentAs(second.model("model-card.json"));
        // fewer training rows than the KLL sketch's k: the sketches hold every value, so the profile is exact too
        assertThat(first.model("profile.json")).hasSameBinaryContentAs(second.model("profile.json"));
        assertThat(withoutTimings(first.metrics())).isEqualTo(withoutTimings(second.metrics()));
        assertThat(firstRun.stdout()).isEqualTo(secondRun.stdout());

        OnnxMl.ModelProto firstModel = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(first.model("model.onnx")));
        OnnxMl.ModelProto secondModel = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(second.model("model.onnx")));
        assertThat(firstModel.getGraph()).isEqualTo(secondModel.getGraph());
        assertThat(firstModel.toBuilder().clearDocString().clearMetadataProps().build())
                .isEqualTo(secondModel.toBuilder().clearDocString().clearMetadataProps().build());
        assertThat(untimed(firstModel.getDocString())).isEqualTo(untimed(secondModel.getDocString()));
        assertThat(firstModel.getMetadataPropsList()).hasSameSizeAs(secondModel.getMetadataPropsList());
        for (int i = 0; i < firstModel.getMetadataPropsCount(); i++) {
            assertThat(untimed(firstModel.getMetadataProps(i).getValue()))
                    .isEqualTo(untimed(secondModel.getMetadataProps(i).getValue()));
        }
    }

    @Test
    void train_differentSeed_differentModel() {
        MlRoot first = MlRoot.in(temp.resolve("first")).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("epochs", 3, "seed", 1));
        MlRoot second = MlRoot.in(temp.resolve("second")).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("epochs", 3, "seed", 2));

        first.train(Map.of());
        second.train(Map.of());

        assertThat(withoutTimings(first.metrics())).isNotEqualTo(withoutTimings(second.metrics()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic-regression", "linear-svm", "factorization-machine", "bagging"})
    void train_epochAlgorithms_lastHistoryEntryEqualsTheFinalModelsMetrics(String algorithm) {
        MlRoot root = MlRoot.in(temp).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("algorithm", algorithm, "epochs", 6));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode metrics = root.metrics();
        JsonNode epochs = metrics.get("history").get("epochs");
        assertThat(epochs).hasSize(6);
        JsonNode last = epochs.get(5);
        JsonNode finalMetrics = metrics.get("final");
        assertThat(last.get("epoch").asInt()).isEqualTo(6);
        assertThat(last.get("train_log_loss").asDouble()).isEqualTo(finalMetrics.get("train_log_loss").asDouble());
        assertThat(last.get("train_accuracy").asDouble()).isEqualTo(finalMetrics.get("train_accuracy").asDouble());
        assertThat(last.get("validation_accuracy").asDouble())
                .isEqualTo(finalMetrics.get("validation_accuracy").asDouble());
        assertThat(last.get("validation_log_loss").asDouble())
                .isEqualTo(finalMetrics.get("validation_log_loss").asDouble());
    }

    @Test
    void train_historyOverBudget_keepsEvenlySpacedCheckpointsEndingAtTheLastEpoch() {
        // 456 training rows x 12 epochs: every epoch would cost 456 x 78 = 35,568 row-epochs
        MlRoot root = MlRoot.in(temp).channel("train", "breast_cancer.csv")
                .hyperparameters(Map.of("epochs", 12, "history_max_row_epochs", 456 * 12 * 2));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode history = root.metrics().get("history");
        assertThat(history.get("method").asText()).isEqualTo("retrained-at-checkpoints");
        assertThat(history.get("epochs").findValuesAsText("epoch")).containsExactly("4", "8", "12");
        assertThat(run.stdout()).contains("epoch=4/12 ", "epoch=8/12 ", "epoch=12/12 ").doesNotContain("epoch=1/12 ");
    }

    private static JsonNode withoutTimings(JsonNode metrics) {
        ObjectNode copy = metrics.deepCopy();
        copy.remove("training_time_seconds");
        copy.remove("history_time_seconds");
        return copy;
    }

    private static String untimed(String text) {
        return TIMESTAMP.matcher(text).replaceAll("<time>");
    }
}
