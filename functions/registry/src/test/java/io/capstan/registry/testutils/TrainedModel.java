package io.capstan.registry.testutils;

import io.capstan.model.ModelCard;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
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
 * A real model for registry tests: a Tribuo logistic regression on the breast-cancer data (copied from
 * scripts/data, see its README for the origin), exported to ONNX, with the model card that describes it.
 *
 * @param onnx     the ONNX file
 * @param card     its card: features in the graph's column order (Tribuo's feature-id order), labels in output order
 * @param features the data set's column names, in file order
 */
public record TrainedModel(byte[] onnx, ModelCard card, List<String> features) {

    public static TrainedModel breastCancer() {
        List<String> lines = lines();
        String[] header = lines.get(0).split(",");
        List<String> features = List.of(header).subList(0, header.length - 1);
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("breast_cancer.csv", labels),
                labels);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double[] values = new double[features.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.parseDouble(cells[i]);
            }
            Example<Label> example = new ArrayExample<>(new Label(cells[cells.length - 1]),
                    features.toArray(String[]::new), values);
            data.add(example);
        }
        LinearSGDModel model = (LinearSGDModel) new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 3,
                1000, 1, 42L).train(data);
        List<String> columnOrder = new ArrayList<>();
        model.getFeatureIDMap().forEach(info -> columnOrder.add(info.getName()));
        columnOrder.sort((a, b) -> Integer.compare(model.getFeatureIDMap().getID(a), model.getFeatureIDMap().getID(b)));
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
            outputs.add(model.getOutputIDInfo().getOutput(i).getLabel());
        }
        byte[] onnx = model.exportONNXModel("org.capstan.test", 1).toByteArray();
        return new TrainedModel(onnx, ModelCard.classifier("input", columnOrder, "output", outputs, "label"), features);
    }

    /** The card as another model would have it: the same but one feature short. */
    public ModelCard cardMissingAFeature() {
        return ModelCard.classifier(card.inputTensor(), card.features().subList(1, card.features().size()),
                card.outputTensor(), card.outputLabels(), card.labelColumn());
    }

    public Map<String, byte[]> folder() {
        return Map.of("model.onnx", onnx, ModelCard.FILE_NAME, card.toJson());
    }

    /** The folder as Capstan's trainer writes it: model, card and the reference profile of the training data. */
    public Map<String, byte[]> folderWithProfile() {
        return Map.of("model.onnx", onnx, ModelCard.FILE_NAME, card.toJson(), DatasetProfile.FILE_NAME,
                referenceProfile().toJson());
    }

    /** The reference profile of the data the model was trained on: every feature, and the label. */
    public DatasetProfile referenceProfile() {
        List<String> lines = lines();
        List<String> rows = lines.subList(1, lines.size());
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (int f = 0; f < features.size(); f++) {
            double[] column = new double[rows.size()];
            for (int r = 0; r < column.length; r++) {
                column[r] = Double.parseDouble(rows.get(r).split(",")[f]);
            }
            builder.numeric(features.get(f), column);
        }
        return builder.categoricalLabel("label", rows.stream().map(r -> r.substring(r.lastIndexOf(',') + 1))
                .toArray(String[]::new)).build();
    }

    private static List<String> lines() {
        try (InputStream in = TrainedModel.class.getResourceAsStream("/breast_cancer.csv")) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
