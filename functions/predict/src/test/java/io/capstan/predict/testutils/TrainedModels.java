package io.capstan.predict.testutils;

import io.capstan.model.ModelCard;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Logistic regressions trained with Tribuo's {@code LinearSGDTrainer} and exported to ONNX, as Capstan's trainer
 * does (STACK-NOTES §3): breast cancer (30 features, 2 classes) and iris (4 features, 3 classes). Features are
 * z-scored with the data set's own statistics before training, since Tribuo's transformations do not export; requests
 * in the tests carry the z-scored values. Each model is trained once per JVM.
 */
public final class TrainedModels {
    private static TrainedModel breastCancer;
    private static TrainedModel iris;

    private TrainedModels() {
    }

    public static synchronized TrainedModel breastCancer() {
        if (breastCancer == null) {
            breastCancer = train("data/breast_cancer.csv");
        }
        return breastCancer;
    }

    public static synchronized TrainedModel iris() {
        if (iris == null) {
            iris = train("data/iris.csv");
        }
        return iris;
    }

    private static TrainedModel train(String resource) {
        List<String> lines = readLines(resource);
        String[] header = lines.get(0).split(",");
        List<String> columns = List.of(Arrays.copyOf(header, header.length - 1));
        int width = columns.size();
        int count = lines.size() - 1;
        double[][] raw = new double[count][width];
        String[] labels = new String[count];
        for (int r = 0; r < count; r++) {
            String[] cells = lines.get(r + 1).split(",");
            for (int c = 0; c < width; c++) {
                raw[r][c] = Double.parseDouble(cells[c]);
            }
            labels[r] = cells[width];
        }
        float[][] rows = zScored(raw);

        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(resource, factory), factory);
        String[] names = columns.toArray(String[]::new);
        for (int r = 0; r < count; r++) {
            double[] values = new double[width];
            for (int c = 0; c < width; c++) {
                values[c] = rows[r][c];
            }
            dataset.add(new ArrayExample<>(factory.generateOutput(labels[r]), names, values));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 20, 1000, 1, 42L);
        LinearSGDModel model = (LinearSGDModel) trainer.train(dataset);
        byte[] onnx = model.exportONNXModel("io.capstan.predict.test", 1).toByteArray();

        List<String> features = new ArrayList<>();
        for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
            features.add(model.getFeatureIDMap().get(i).getName());
        }
        List<String> outputLabels = new ArrayList<>();
        for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
            outputLabels.add(model.getOutputIDInfo().getOutput(i).getLabel());
        }
        ModelCard card = ModelCard.classifier("input", features, "output", outputLabels, "label");
        return new TrainedModel(card, onnx, columns, rows, model);
    }

    private static float[][] zScored(double[][] raw) {
        int width = raw[0].length;
        float[][] rows = new float[raw.length][width];
        for (int c = 0; c < width; c++) {
            double mean = 0;
            for (double[] row : raw) {
                mean += row[c];
            }
            mean /= raw.length;
            double variance = 0;
            for (double[] row : raw) {
                variance += (row[c] - mean) * (row[c] - mean);
            }
            double std = Math.sqrt(variance / raw.length);
            for (int r = 0; r < raw.length; r++) {
                rows[r][c] = (float) ((raw[r][c] - mean) / (std == 0 ? 1 : std));
            }
        }
        return rows;
    }

    private static List<String> readLines(String resource) {
        try (InputStream in = TrainedModels.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
