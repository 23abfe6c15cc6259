package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.trainer.testutils.MlRoot;
import io.capstan.trainer.testutils.OnnxParity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every exported algorithm, on two-class (breast cancer) and three-class (wine, iris) data: ONNX Runtime fed the RAW
 * validation features gives Tribuo's probabilities within 1e-5 (measured: at most 1.3e-6, two-class LibSVM; 2.4e-7
 * or less for the others).
 */
class OnnxParityTest {

    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource({
            "logistic-regression, , breast_cancer.csv",
            "logistic-regression, , wine.csv",
            "linear-svm, , breast_cancer.csv",
            "linear-svm, , wine.csv",
            "factorization-machine, , breast_cancer.csv",
            "factorization-machine, , wine.csv",
            "bagging, , breast_cancer.csv",
            "bagging, , wine.csv",
            "liblinear, , breast_cancer.csv",
            "liblinear, , wine.csv",
            "liblinear, solver=l2r_l2loss_svc, breast_cancer.csv",
            "liblinear, solver=l2r_l1loss_svc_dual, wine.csv",
            "liblinear, solver=l1r_l2loss_svc, wine.csv",
            "libsvm, , breast_cancer.csv",
            "libsvm, , wine.csv",
            "libsvm, kernel=rbf, breast_cancer.csv",
            "libsvm, kernel=rbf, iris.csv",
            "libsvm, kernel=poly, iris.csv"})
    void train_eachAlgorithm_onnxRuntimeOnRawFeaturesMatchesTribuo(String algorithm, String option, String dataSet) {
        Map<String, Object> hyperparameters = new HashMap<>(Map.of("algorithm", algorithm));
        if (option != null) {
            hyperparameters.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
        }
        if (!algorithm.startsWith("lib")) {
            hyperparameters.put("epochs", 5);
        }
        MlRoot root = MlRoot.in(temp).channel("train", dataSet).hyperparameters(hyperparameters);

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        OnnxParity.Comparison comparison = OnnxParity.compare(root.path().resolve("model"));
        assertThat(comparison.allFinite()).isTrue();
        assertThat(comparison.maxAbsoluteDifference()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(run.stdout().lines()).as("stdout holds progress and metric lines only")
                .allMatch(line -> line.startsWith("training " + algorithm + " on ") || line.startsWith("epoch=")
                        || line.matches("(train|validation):[a-z0-9_]+=[0-9.]+"));
    }

    @Test
    void train_constantAndReorderedColumns_graphStaysFiniteAndMatchesTribuo() throws IOException {
        MlRoot root = MlRoot.in(temp)
                .write("input/data/train/iris.csv", withConstantColumn(resource("iris.csv")))
                .hyperparameters(Map.of("epochs", 5, "feature_columns",
                        "sepal_width,constant,petal_length,sepal_length,petal_width"));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        OnnxParity.Comparison comparison = OnnxParity.compare(root.path().resolve("model"));
        assertThat(comparison.allFinite()).isTrue();
        assertThat(comparison.maxAbsoluteDifference()).isLessThanOrEqualTo(TOLERANCE);
        assertThat(MlRoot.readJson(root.path().resolve("model/model-card.json")).get("features").toString())
                .isEqualTo("[\"sepal_width\",\"constant\",\"petal_length\",\"sepal_length\",\"petal_width\"]");
    }

    private static String withConstantColumn(String csv) {
        List<String> lines = new ArrayList<>();
        csv.lines().forEach(line -> lines.add(line + (lines.isEmpty() ? ",constant" : ",7.5")));
        return String.join("\n", lines) + "\n";
    }

    private static String resource(String dataSet) throws IOException {
        try (InputStream in = OnnxParityTest.class.getResourceAsStream("/data/" + dataSet)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
