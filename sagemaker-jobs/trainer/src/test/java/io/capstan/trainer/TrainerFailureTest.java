package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.trainer.testutils.MlRoot;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each failure the contract names: the reason goes to {@code output/failure} (SageMaker's failure file) and to
 * stderr, the exit code is 1, and the reason names what to fix.
 */
class TrainerFailureTest {

    private static final String IRIS_HEAD = "sepal_length,sepal_width,petal_length,petal_width,label\n";

    @TempDir
    Path temp;

    @Test
    void train_missingTrainChannel_namesTheChannel() {
        MlRoot root = MlRoot.in(temp);

        assertFails(root, "channel 'train'", "does not exist");
    }

    @Test
    void train_channelWithoutCsvFiles_saysSo() {
        MlRoot root = MlRoot.in(temp).write("input/data/train/notes.txt", "not data");

        assertFails(root, "channel 'train'", "no .csv file");
    }

    @Test
    void train_headerOnly_reportsNoDataRows() {
        MlRoot root = MlRoot.in(temp).write("input/data/train/empty.csv", IRIS_HEAD);

        assertFails(root, "channel 'train'", "no data rows", "empty.csv");
    }

    @Test
    void train_missingLabelColumn_namesColumnAndFile() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("label_column", "species"));

        assertFails(root, "iris.csv", "no label column 'species'", "label_column");
    }

    @Test
    void train_missingFeatureColumn_namesColumnAndFile() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv")
                .hyperparameters(Map.of("feature_columns", "sepal_length,petal_area"));

        assertFails(root, "iris.csv", "no feature column 'petal_area'");
    }

    @Test
    void train_nonNumericValue_namesFileRowAndColumn() {
        MlRoot root = MlRoot.in(temp).write("input/data/train/part-1.csv", IRIS_HEAD
                + "5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n6.3,abc,6.0,2.5,virginica\n");

        assertFails(root, "part-1.csv row 3 (line 4), column 'sepal_width'", "'abc' is not a finite number");
    }

    @Test
    void train_singleClass_saysAClassifierNeedsTwo() {
        MlRoot root = MlRoot.in(temp).write("input/data/train/one.csv", IRIS_HEAD
                + "5.1,3.5,1.4,0.2,setosa\n4.9,3.0,1.4,0.2,setosa\n4.7,3.2,1.3,0.2,setosa\n4.6,3.1,1.5,0.2,setosa\n");

        assertFails(root, "single class, 'setosa'", "at least two");
    }

    @Test
    void train_validationClassUnknownToTraining_namesTheClass() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv")
                .write("input/data/validation/v.csv", IRIS_HEAD + "5.1,3.5,1.4,0.2,setosa\n5.0,3.0,1.0,0.1,setosum\n");

        assertFails(root, "class 'setosum'", "no training row");
    }

    @Test
    void train_badHyperparameterValue_namesFieldAndValue() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("epochs", "-3"));

        assertFails(root, "hyperparameter 'epochs'", "'-3'", "an integer from 1");
    }

    @Test
    void train_unknownHyperparameter_namesIt() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("epoch", "3"));

        assertFails(root, "unknown hyperparameter 'epoch'", "epochs");
    }

    @Test
    void train_hyperparameterOfAnotherAlgorithm_namesBoth() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("kernel", "rbf"));

        assertFails(root, "hyperparameter 'kernel'", "logistic-regression", "libsvm");
    }

    @Test
    void train_malformedHyperparametersJson_namesTheFile() {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv")
                .write("input/config/hyperparameters.json", "{\"epochs\": ");

        assertFails(root, "hyperparameters.json", "not valid JSON");
    }

    private static void assertFails(MlRoot root, String... fragments) {
        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(root.failure()).startsWith("ClientError: ").contains(fragments);
        assertThat(run.stderr()).contains(root.failure().strip());
        assertThat(root.model("model.onnx")).doesNotExist();
    }
}
