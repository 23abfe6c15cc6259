package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.capstan.model.ModelCard;
import io.capstan.profile.CategoricalFeatureProfile;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.NumericFeatureProfile;
import io.capstan.trainer.testutils.MlRoot;
import io.capstan.trainer.testutils.OnnxParity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code profile.json}, the reference profile for drift checks, from real trainings: the training rows' features and
 * labels, and ONNX Runtime's own probabilities on the held-out rows.
 */
class ReferenceProfileTest {

    @TempDir
    Path temp;

    @Test
    void train_validationChannel_profilesTrainingFeaturesLabelsAndHeldOutProbabilities() throws IOException {
        List<String> lines = dataSet("breast_cancer.csv");
        StringBuilder train = new StringBuilder(lines.get(0)).append('\n');
        StringBuilder validation = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 1; i < lines.size(); i++) {
            (i % 5 == 0 ? validation : train).append(lines.get(i)).append('\n');
        }
        MlRoot root = MlRoot.in(temp).write("input/data/train/train.csv", train.toString())
                .write("input/data/validation/validation.csv", validation.toString())
                .hyperparameters(Map.of("epochs", 5));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        ModelCard card = ModelCard.fromJson(Files.readAllBytes(root.model(ModelCard.FILE_NAME)));
        DatasetProfile profile = DatasetProfile.fromJson(Files.readAllBytes(root.model(DatasetProfile.FILE_NAME)));
        Table trainRows = Table.parse(train.toString());
        Table heldOut = Table.parse(validation.toString());

        assertThat(profile.rowCount()).isEqualTo(trainRows.size());
        assertThat(profile.features()).extracting(FeatureProfile::name).containsExactlyElementsOf(card.features());
        for (String feature : card.features()) {
            NumericFeatureProfile numeric = (NumericFeatureProfile) profile.feature(feature).orElseThrow();
            double[] asServed = trainRows.floats(feature);
            assertThat(numeric.count()).as(feature).isEqualTo(trainRows.size());
            assertThat(numeric.missing()).as(feature).isZero();
            assertThat(numeric.min()).as(feature).isEqualTo(Arrays.stream(asServed).min().orElseThrow());
            assertThat(numeric.max()).as(feature).isEqualTo(Arrays.stream(asServed).max().orElseThrow());
            assertThat(numeric.mean()).as(feature).isCloseTo(Arrays.stream(asServed).average().orElseThrow(),
                    within(1e-9 * Math.max(1, Math.abs(numeric.mean()))));
            assertThat(numeric.distinct()).as(feature).isEqualTo(Arrays.stream(asServed).distinct().count());
        }

        CategoricalFeatureProfile label = (CategoricalFeatureProfile) profile.labelProfile().orElseThrow();
        assertThat(label.name()).isEqualTo("label");
        assertThat(new TreeMap<>(label.frequencies())).isEqualTo(trainRows.labelCounts());

        float[][] onnxRuntime = OnnxParity.run(root.model("model.onnx"), card, heldOut.matrix(card.features()));
        assertThat(profile.predictions()).extracting(FeatureProfile::name)
                .containsExactlyElementsOf(card.outputLabels().stream().map(l -> "probability:" + l).toList());
        for (int l = 0; l < card.outputLabels().size(); l++) {
            NumericFeatureProfile probability = (NumericFeatureProfile) profile.predictions().get(l);
            final int column = l;
            double[] served = Arrays.stream(onnxRuntime).mapToDouble(row -> row[column]).toArray();
            assertThat(probability.count()).isEqualTo(heldOut.size());
            assertThat(probability.kind()).isEqualTo(FeatureKind.NUMERIC);
            assertThat(probability.mean()).isCloseTo(Arrays.stream(served).average().orElseThrow(), within(2e-6));
            assertThat(probability.min()).isCloseTo(Arrays.stream(served).min().orElseThrow(), within(2e-6));
            assertThat(probability.max()).isCloseTo(Arrays.stream(served).max().orElseThrow(), within(2e-6));
        }
    }

    @Test
    void train_splitFromTrainChannel_featuresOfTheTrainingRowsPredictionsOfTheHeldOutOnes() throws IOException {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("epochs", 3));

        MlRoot.Run run = root.train(Map.of());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        DatasetProfile profile = DatasetProfile.fromJson(Files.readAllBytes(root.model(DatasetProfile.FILE_NAME)));
        assertThat(profile.rowCount()).isEqualTo(120);
        assertThat(profile.features()).hasSize(4).allSatisfy(f -> assertThat(f.count()).isEqualTo(120));
        assertThat(profile.labelProfile()).get().extracting(FeatureProfile::count).isEqualTo(120L);
        assertThat(profile.predictions()).hasSize(3).allSatisfy(p -> assertThat(p.count()).isEqualTo(30));
        assertThat(((CategoricalFeatureProfile) profile.label()).frequencies())
                .containsOnly(Map.entry("setosa", 40L), Map.entry("versicolor", 40L), Map.entry("virginica", 40L));
    }

    private static List<String> dataSet(String name) {
        try (InputStream in = ReferenceProfileTest.class.getResourceAsStream("/data/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV with a header and a {@code label} column. */
    private record Table(List<String> header, List<String[]> rows) {

        static Table parse(String csv) {
            List<String> lines = csv.strip().lines().toList();
            List<String[]> rows = new ArrayList<>();
            lines.subList(1, lines.size()).forEach(line -> rows.add(line.split(",")));
            return new Table(List.of(lines.get(0).split(",")), rows);
        }

        int size() {
            return rows.size();
        }

        /** A column as the served model reads it: rounded to float. */
        double[] floats(String column) {
            int at = header.indexOf(column);
            return rows.stream().mapToDouble(row -> (float) Double.parseDouble(row[at])).toArray();
        }

        float[][] matrix(List<String> columns) {
            float[][] matrix = new float[rows.size()][columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                double[] values = floats(columns.get(c));
                for (int r = 0; r < values.length; r++) {
                    matrix[r][c] = (float) values[r];
                }
            }
            return matrix;
        }

        TreeMap<String, Long> labelCounts() {
            int at = header.indexOf("label");
            TreeMap<String, Long> counts = new TreeMap<>();
            rows.forEach(row -> counts.merge(row[at], 1L, Long::sum));
            return counts;
        }
    }
}
