package io.capstan.trainer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.model.TrainerMetrics;
import io.capstan.profile.DatasetProfile;
import io.capstan.trainer.TrainingContract;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One run of the trainer on the training container contract: hyperparameters and channels in; {@code model.onnx},
 * {@code model-card.json}, {@code profile.json} (the reference profile for drift checks), {@code metrics.json} and
 * {@code validation-predictions.csv} out, with metric lines on stdout. In Batch mode it first downloads
 * {@code train_uri}/{@code validation_uri} into the channels and finally uploads the model directory to
 * {@code model_output_uri}.
 */
public final class TrainingJob {

    /** The model file in the model directory. */
    public static final String MODEL_FILE = "model.onnx";
    /** The metrics file in the model directory (a copy goes to the output data directory). */
    public static final String METRICS_FILE = "metrics.json";
    /** Tribuo's probabilities for the validation rows, in the model directory. */
    public static final String PREDICTIONS_FILE = "validation-predictions.csv";

    private final TrainingContract contract;
    private final Clock clock;
    private final PrintStream out;
    private final Supplier<S3Client> s3Clients;

    /**
     * @param s3Clients makes a new S3 client when a job names an {@code s3://} URI; the job closes it
     */
    public TrainingJob(TrainingContract contract, Clock clock, PrintStream out, Supplier<S3Client> s3Clients) {
        this.contract = contract;
        this.clock = clock;
        this.out = out;
        this.s3Clients = s3Clients;
    }

    /**
     * Runs the job.
     *
     * @throws CapstanException for bad hyperparameters or data ({@code INVALID_PARAMETER_VALUE}) and S3 failures
     * @throws IOException      when the contract's directories cannot be read or written
     */
    public void run() throws IOException {
        HyperParameters hyperParameters = HyperParameters.parse(readHyperparameters(),
                contract.environmentHyperparameters());
        S3Location modelOutput = hyperParameters.location("model_output_uri");
        S3Location trainInput = hyperParameters.location("train_uri");
        S3Location validationInput = hyperParameters.location("validation_uri");
        if (modelOutput == null && trainInput == null && validationInput == null) {
            train(hyperParameters);
            return;
        }
        try (S3Client s3 = s3Client()) {
            S3Staging staging = new S3Staging(s3);
            if (trainInput != null) {
                out.println("downloading " + trainInput + " into " + contract.trainChannel());
                staging.download(trainInput, contract.trainChannel());
            }
            if (validationInput != null) {
                out.println("downloading " + validationInput + " into " + contract.validationChannel());
                staging.download(validationInput, contract.validationChannel());
            }
            train(hyperParameters);
            if (modelOutput != null) {
                out.println("uploading " + contract.modelDir() + " to " + modelOutput);
                staging.upload(contract.modelDir(), modelOutput);
            }
        }
    }

    private S3Client s3Client() {
        try {
            return s3Clients.get();
        } catch (SdkException e) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "Batch mode needs an S3 client and none could be "
                    + "made (set AWS_REGION and credentials): " + e.getMessage(), e);
        }
    }

    private void train(HyperParameters hyperParameters) throws IOException {
        TrainingData data = TrainingData.load(contract.trainChannel(), contract.validationChannel(), hyperParameters);
        int featureCount = data.train().featureNames().size();
        Standardization scaling = Standardization.fit(data.train().features());
        MutableDataset<Label> dataset = TribuoData.dataset(data.train(), scaling, OffsetDateTime.now(clock));
        Evaluation evaluation = new Evaluation(TribuoData.examples(data.train(), scaling),
                TribuoData.examples(data.validation(), scaling), data);
        out.printf(Locale.ROOT, "training %s on %d rows x %d features, validating on %d rows (%s)%n",
                hyperParameters.algorithm(), data.train().size(), featureCount, data.validation().size(),
                data.validationSource());

        long started = System.nanoTime();
        Model<Label> model = TribuoTrainers.create(hyperParameters, hyperParameters.epochs(), featureCount)
                .train(dataset);
        double trainingSeconds = (System.nanoTime() - started) / 1e9;

        started = System.nanoTime();
        EpochHistory history = history(hyperParameters, dataset, evaluation, featureCount);
        double historySeconds = (System.nanoTime() - started) / 1e9;

        ClassProbabilities trainProbabilities = ClassProbabilities.predict(model, evaluation.train());
        ClassProbabilities validationProbabilities = ClassProbabilities.predict(model, evaluation.validation());
        ClassificationMetrics trainMetrics = ClassificationMetrics.of(trainProbabilities, data.train().labels());
        ClassificationMetrics validationMetrics = ClassificationMetrics.of(validationProbabilities,
                data.validation().labels());

        Path modelDir = Files.createDirectories(contract.modelDir());
        OnnxExport.write(model, data.train().featureNames(), scaling, modelDir.resolve(MODEL_FILE));
        ModelCard card = ModelCard.classifier(OnnxExport.INPUT, data.train().featureNames(), OnnxExport.OUTPUT,
                validationProbabilities.labels(), hyperParameters.labelColumn());
        Files.write(modelDir.resolve(ModelCard.FILE_NAME), card.toJson());
        PredictionsCsv.write(modelDir.resolve(PREDICTIONS_FILE), data.validation(), hyperParameters.labelColumn(),
                validationProbabilities);
        Files.write(modelDir.resolve(DatasetProfile.FILE_NAME), ReferenceProfile.of(data.train(),
                hyperParameters.labelColumn(), validationProbabilities).toJson());
        byte[] metrics = new MetricsReport(hyperParameters, used(hyperParameters, data, featureCount), data,
                trainMetrics, validationMetrics, history, model.generatesProbabilities(), trainingSeconds,
                historySeconds).toJson();
        Files.write(modelDir.resolve(METRICS_FILE), metrics);
        Files.write(Files.createDirectories(contract.outputDataDir()).resolve(METRICS_FILE), metrics);

        printFinal(trainMetrics, validationMetrics);
    }

    private EpochHistory history(HyperParameters hyperParameters, MutableDataset<Label> dataset,
                                 Evaluation evaluation, int featureCount) {
        if (!hyperParameters.algorithm().epochBased()) {
            return EpochHistory.none();
        }
        long rowEpochCost = (long) dataset.size() * (hyperParameters.algorithm() == Algorithm.BAGGING
                ? hyperParameters.get("ensemble_size", Integer.class) : 1);
        List<Integer> checkpoints = EpochHistory.checkpoints(hyperParameters.epochs(), rowEpochCost,
                hyperParameters.get("history_max_row_epochs", Long.class));
        return EpochHistory.record(hyperParameters.epochs(), checkpoints, epochs -> evaluation.at(epochs,
                TribuoTrainers.create(hyperParameters, epochs, featureCount).train(dataset)), out);
    }

    private void printFinal(ClassificationMetrics train, ClassificationMetrics validation) {
        line(TrainerMetrics.TRAIN_LOG_LOSS, train.logLoss());
        line(TrainerMetrics.TRAIN_ACCURACY, train.accuracy());
        line(TrainerMetrics.VALIDATION_ACCURACY, validation.accuracy());
        line(TrainerMetrics.VALIDATION_LOG_LOSS, validation.logLoss());
        line(TrainerMetrics.VALIDATION_MACRO_F1, validation.macroF1());
    }

    private void line(String metric, double value) {
        out.printf(Locale.ROOT, "%s=%.6f%n", metric, value);
    }

    private static Map<String, Object> used(HyperParameters hyperParameters, TrainingData data, int featureCount) {
        Map<String, Object> used = new LinkedHashMap<>(hyperParameters.asReported());
        used.put("feature_columns", data.train().featureNames());
        if (hyperParameters.algorithm() == Algorithm.LIBSVM) {
            used.put("gamma", TribuoTrainers.libSvmGamma(hyperParameters, featureCount));
        }
        return used;
    }

    private JsonNode readHyperparameters() throws IOException {
        String source;
        String json;
        if (contract.hyperparametersJson() != null) {
            source = "SM_HPS";
            json = contract.hyperparametersJson();
        } else if (Files.exists(contract.hyperparametersFile())) {
            source = contract.hyperparametersFile().toString();
            json = Files.readString(contract.hyperparametersFile());
        } else {
            return null;
        }
        try {
            return MetricsReport.JSON.readTree(json);
        } catch (IOException e) {
            throw CapstanException.invalidParameter("the hyperparameters in " + source + " are not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The rows a model is measured on, standardized once. */
    private record Evaluation(List<Example<Label>> train, List<Example<Label>> validation, TrainingData data) {

        EpochHistory.EpochMetrics at(int epoch, Model<Label> model) {
            ClassificationMetrics onTrain = ClassificationMetrics.of(ClassProbabilities.predict(model, train),
                    data.train().labels());
            ClassificationMetrics onValidation = ClassificationMetrics.of(
                    ClassProbabilities.predict(model, validation), data.validation().labels());
            return new EpochHistory.EpochMetrics(epoch, onTrain.logLoss(), onTrain.accuracy(),
                    onValidation.accuracy(), onValidation.logLoss());
        }
    }
}
