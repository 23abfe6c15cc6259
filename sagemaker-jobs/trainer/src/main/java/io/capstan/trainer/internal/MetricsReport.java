package io.capstan.trainer.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Tribuo;

/**
 * What {@code metrics.json} holds about one training job.
 *
 * @param hyperParameters     the parsed hyperparameters
 * @param hyperparametersUsed the values as used, defaults and resolved values ({@code feature_columns}, {@code gamma})
 *                            filled in
 * @param data                the rows trained and validated on
 * @param train               metrics of the final model on the training rows
 * @param validation          metrics of the final model on the validation rows
 * @param history             per-epoch metrics
 * @param modelProbabilities  whether the model gives probabilities itself (else a softmax of its scores)
 * @param trainingSeconds     time to fit the final model
 * @param historySeconds      time to retrain and evaluate the history
 */
record MetricsReport(HyperParameters hyperParameters, Map<String, Object> hyperparametersUsed, TrainingData data,
                     ClassificationMetrics train, ClassificationMetrics validation, EpochHistory history,
                     boolean modelProbabilities, double trainingSeconds, double historySeconds) {

    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    MetricsReport {
        Objects.requireNonNull(hyperParameters, "hyperParameters");
        hyperparametersUsed = Map.copyOf(hyperparametersUsed);
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("algorithm", hyperParameters.algorithm().id());
        root.put("seed", hyperParameters.seed());
        root.put("tribuo_version", Tribuo.VERSION);
        root.put("training_time_seconds", trainingSeconds);
        root.put("history_time_seconds", historySeconds);
        root.put("probabilities", modelProbabilities ? "model" : "softmax-of-scores");
        ObjectNode used = root.putObject("hyperparameters");
        for (HyperParameterSpec spec : HyperParameters.SPECS) {
            if (hyperparametersUsed.containsKey(spec.name())) {
                used.set(spec.name(), JSON.valueToTree(hyperparametersUsed.get(spec.name())));
            }
        }
        root.set("dataset", dataset());
        ObjectNode last = root.putObject("final");
        last.put("train_accuracy", train.accuracy());
        last.put("train_log_loss", train.logLoss());
        last.put("validation_accuracy", validation.accuracy());
        last.put("validation_log_loss", validation.logLoss());
        last.put("validation_macro_f1", validation.macroF1());
        ObjectNode perClass = last.putObject("validation_per_class");
        for (ClassificationMetrics.ClassMetrics metrics : validation.classes()) {
            ObjectNode entry = perClass.putObject(metrics.label());
            entry.put("precision", metrics.precision());
            entry.put("recall", metrics.recall());
            entry.put("f1", metrics.f1());
            entry.put("support", metrics.support());
        }
        ObjectNode historyNode = root.putObject("history");
        historyNode.put("method", history.method());
        ArrayNode epochs = historyNode.putArray("epochs");
        for (EpochHistory.EpochMetrics epoch : history.epochs()) {
            ObjectNode entry = epochs.addObject();
            entry.put("epoch", epoch.epoch());
            entry.put("train_log_loss", epoch.trainLogLoss());
            entry.put("train_accuracy", epoch.trainAccuracy());
            entry.put("validation_accuracy", epoch.validationAccuracy());
            entry.put("validation_log_loss", epoch.validationLogLoss());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a metrics tree always serializes", e);
        }
    }

    private ObjectNode dataset() {
        ObjectNode dataset = JSON.createObjectNode();
        dataset.put("train_sha256", data.source().sha256());
        strings(dataset.putArray("train_files"), data.source().files());
        dataset.put("validation_source", data.validationSource());
        if (data.validationSource().equals("channel")) {
            dataset.put("validation_sha256", data.validation().sha256());
            strings(dataset.putArray("validation_files"), data.validation().files());
        }
        ObjectNode rows = dataset.putObject("rows");
        rows.put("train_channel", data.source().size());
        rows.put("train", data.train().size());
        rows.put("validation", data.validation().size());
        strings(dataset.putArray("feature_columns"), data.train().featureNames());
        dataset.put("label_column", hyperParameters.labelColumn());
        ObjectNode distribution = dataset.putObject("label_distribution");
        counts(distribution.putObject("train"), data.train().labelCounts());
        counts(distribution.putObject("validation"), data.validation().labelCounts());
        return dataset;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void counts(ObjectNode node, Map<String, Integer> counts) {
        counts.forEach(node::put);
    }
}
