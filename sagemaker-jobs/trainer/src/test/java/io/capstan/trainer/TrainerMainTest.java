package io.capstan.trainer;

import io.capstan.model.TrainerMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.model.ModelCard;
import io.capstan.trainer.testutils.MlRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training container contract end to end, in this JVM: hyperparameters and channels in, every output out. */
class TrainerMainTest {

    @TempDir
    Path temp;

    @Test
    void execute_hyperparametersFileAndChannels_writesEveryOutputWellFormed() throws IOException, OrtException {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv")
                .hyperparameters(Map.of("epochs", 4, "seed", 7, "sagemaker_program", "ignored.py",
                        "sagemaker_region", "eu-west-1"));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(root.failureFile()).doesNotExist();
        ModelCard card = ModelCard.fromJson(Files.readAllBytes(root.model("model-card.json")));
        assertThat(card.task()).isEqualTo(ModelCard.Task.CLASSIFICATION);
        assertThat(card.features()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(card.outputLabels()).containsExactlyInAnyOrder("setosa", "versicolor", "virginica");
        assertThat(card.labelColumn()).isEqualTo("label");
        assertOnnxSignature(root.model("model.onnx"), card);

        JsonNode metrics = root.metrics();
        assertThat(metrics.get("algorithm").asText()).isEqualTo("logistic-regression");
        assertThat(metrics.get("seed").asLong()).isEqualTo(7);
        assertThat(metrics.get("tribuo_version").asText()).isEqualTo("4.3.2");
        assertThat(metrics.get("hyperparameters").get("epochs").asInt()).isEqualTo(4);
        assertThat(metrics.get("hyperparameters").get("learning_rate").asDouble()).isEqualTo(0.1);
        assertThat(metrics.get("hyperparameters").has("sagemaker_program")).isFalse();
        JsonNode dataset = metrics.get("dataset");
        assertThat(dataset.get("train_sha256").asText())
                .isEqualTo(sha256(root.path().resolve("input/data/train/iris.csv")));
        assertThat(dataset.get("rows").get("train").asInt()).isEqualTo(120);
        assertThat(dataset.get("rows").get("validation").asInt()).isEqualTo(30);
        assertThat(dataset.get("label_distribution").get("validation").get("setosa").asInt()).isEqualTo(10);
        JsonNode last = metrics.get("final");
        assertThat(last.get("validation_accuracy").asDouble()).isBetween(0.8, 1.0);
        assertThat(last.get("validation_per_class").size()).isEqualTo(3);
        assertThat(metrics.get("history").get("method").asText()).isEqualTo("retrained-every-epoch");
        assertThat(metrics.get("history").get("epochs")).hasSize(4);
        assertThat(temp.resolve("output/data/metrics.json")).hasSameBinaryContentAs(root.model("metrics.json"));

        List<String> predictions = Files.readAllLines(root.model("validation-predictions.csv"));
        assertThat(predictions).hasSize(31);
        assertThat(predictions.get(0)).startsWith("sepal_length,sepal_width,petal_length,petal_width,label,probability:");
        assertThat(predictions.get(1).split(",")).hasSize(4 + 1 + 3);

        assertThat(run.stdout().lines().filter(line -> line.startsWith("epoch="))).hasSize(4);
        List<Double> validationAccuracies = values(run.stdout(), TrainerMetrics.VALIDATION_ACCURACY);
        assertThat(validationAccuracies).hasSize(5);
        assertThat(validationAccuracies.get(4)).isCloseTo(last.get("validation_accuracy").asDouble(), within(1e-6));
        for (TrainerMetrics.MetricDefinition definition : TrainerMetrics.METRIC_DEFINITIONS) {
            assertThat(Pattern.compile(definition.regex()).matcher(run.stdout()).find()).as(definition.name()).isTrue();
        }
    }

    @Test
    void execute_smVariablesAndNoArguments_readsAndWritesTheirPaths() throws IOException {
        MlRoot root = MlRoot.in(temp)
                .channel("elsewhere-train", "wine.csv")
                .channel("elsewhere-validation", "wine.csv")
                .hyperparameters(Map.of("epochs", 9));
        Path data = temp.resolve("input/data");
        Map<String, String> env = Map.of(
                "CAPSTAN_ML_ROOT", temp.toString(),
                "SM_CHANNEL_TRAIN", data.resolve("elsewhere-train").toString(),
                "SM_CHANNEL_VALIDATION", data.resolve("elsewhere-validation").toString(),
                "SM_MODEL_DIR", temp.resolve("sm-model").toString(),
                "SM_OUTPUT_DATA_DIR", temp.resolve("sm-output-data").toString(),
                "SM_HPS", "{\"epochs\": 2, \"algorithm\": \"linear-svm\"}");

        MlRoot.Run run = MlRoot.run(env);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(temp.resolve("sm-model")).isDirectoryContaining("glob:**/model.onnx")
                .isDirectoryContaining("glob:**/model-card.json")
                .isDirectoryContaining("glob:**/validation-predictions.csv")
                .isDirectoryContaining("glob:**/profile.json");
        assertThat(temp.resolve("sm-output-data/metrics.json")).exists();
        assertThat(temp.resolve("model")).doesNotExist();
        JsonNode metrics = MlRoot.readJson(temp.resolve("sm-model/metrics.json"));
        assertThat(metrics.get("algorithm").asText()).isEqualTo("linear-svm");
        assertThat(metrics.get("hyperparameters").get("epochs").asInt()).isEqualTo(2);
        assertThat(metrics.get("probabilities").asText()).isEqualTo("softmax-of-scores");
        assertThat(metrics.get("dataset").get("validation_source").asText()).isEqualTo("channel");
        assertThat(metrics.get("dataset").get("rows").get("validation").asInt()).isEqualTo(178);
        assertThat(metrics.get("dataset").get("validation_sha256").asText())
                .isEqualTo(metrics.get("dataset").get("train_sha256").asText());
    }

    @Test
    void execute_unknownCommand_failsWithClientError() {
        MlRoot.Run run = MlRoot.run(Map.of(), "serve", "--ml-root", temp.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(MlRoot.in(temp).failure()).startsWith("ClientError: ").contains("'serve'");
    }

    @Test
    void execute_unknownOption_failsWithClientErrorInTheEnvironmentsRoot() {
        MlRoot.Run run = MlRoot.run(Map.of("CAPSTAN_ML_ROOT", temp.toString()), "train", "--epochs", "3");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("--epochs");
        assertThat(MlRoot.in(temp).failure()).startsWith("ClientError: ").contains("--epochs");
    }

    @Test
    void execute_afterAFailedRun_removesTheStaleFailureFile() {
        MlRoot root = MlRoot.in(temp).hyperparameters(Map.of("epochs", 2));
        assertThat(root.train(Map.of()).exitCode()).isEqualTo(1);
        root.channel("train", "iris.csv");

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(root.failureFile()).doesNotExist();
    }

    private static void assertOnnxSignature(Path model, ModelCard card) throws OrtException {
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toString())) {
            NodeInfo input = session.getInputInfo().get(card.inputTensor());
            NodeInfo output = session.getOutputInfo().get(card.outputTensor());
            assertThat(session.getInputInfo()).hasSize(1);
            assertThat(session.getOutputInfo()).hasSize(1);
            assertThat(((TensorInfo) input.getInfo()).getShape()).containsExactly(-1, card.features().size());
            assertThat(((TensorInfo) output.getInfo()).getShape()).containsExactly(-1, card.outputLabels().size());
            assertThat(session.getMetadata().getCustomMetadata()).containsKey("TRIBUO_PROVENANCE");
        }
    }

    private static List<Double> values(String stdout, String metric) {
        Matcher matcher = Pattern.compile(Pattern.quote(metric) + "=([-0-9.]+)").matcher(stdout);
        List<Double> values = new ArrayList<>();
        while (matcher.find()) {
            values.add(Double.parseDouble(matcher.group(1)));
        }
        return values;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
