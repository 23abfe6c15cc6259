package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationHandler;
import io.capstan.model.ModelCard;
import io.capstan.model.ModelSignature;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.input.MlflowScoringReader;
import io.capstan.predict.input.MlflowScoringRequest;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.OutputValue;
import io.capstan.predict.onnx.Scores;
import io.capstan.predict.tensor.ParamsValidation;
import io.capstan.predict.tensor.TensorScoring;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * MLflow's scoring endpoint. A model of Capstan's flavor answers in Capstan's shape, one record per row plus the model
 * that answered:
 * <pre>{@code
 * {"predictions": [{"label": "benign", "probabilities": {"malignant": 0.02, "benign": 0.98},
 *                  "prediction_id": "5f0c…e1-0"}],
 *  "model_name": "breast-cancer", "model_version": "3"}
 * }</pre>
 * {@code label} is the label output's value, or else the most probable class (the first on a tie); {@code probabilities}
 * holds every class in the card's label order; a regressor's record is {@code {"<target>": value}}. A model of an MLflow
 * flavor answers as MLflow's pyfunc server does ({@link MlflowAnswers}), with {@code prediction_ids},
 * {@code model_name} and {@code model_version} beside {@code predictions}. Every row's prediction id comes from
 * {@link PredictionIds}; a single row's is also in the {@value PredictionIds#ID_HEADER} response header. {@code mlflow.deployments} clients read {@code predictions} and
 * ignore the rest.
 */
final class ScoringHandler implements OperationHandler {
    private final ModelLookup lookup;
    private final MlflowScoringReader reader;
    private final TensorScoring tensors;
    private final TrafficCapture capture;

    ScoringHandler(ModelLookup lookup, MlflowScoringReader reader, TensorScoring tensors, TrafficCapture capture) {
        this.lookup = lookup;
        this.reader = reader;
        this.tensors = tensors;
        this.capture = capture;
    }

    @Override
    public HttpResponse handle(HttpRequest request, Map<String, String> pathParameters) {
        ModelLookup.requireJson(request);
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        try (LoadedModel.Lease lease = lookup.load(resolved)) {
            LoadedModel model = lease.model();
            if (model.isTabular()) {
                return tabular(request, resolved, model);
            }
            PredictionIds.checkTensorRequest(request);
            TensorScoring.MlflowResult result = tensors.invocations(request.body(), model);
            String[] ids = PredictionIds.ofTensors(request, result.outputs());
            return PredictResponses.scored(model.version(), ids, 256, json -> {
                json.writeStartObject();
                if (result.asRecords()) {
                    MlflowAnswers.records(json, result.outputs(), result.frameRows());
                } else {
                    MlflowAnswers.tensors(json, result.outputs());
                }
                PredictResponses.writeIds(json, ids);
                writeModel(json, model);
            });
        } catch (CapstanException e) {
            return PredictResponses.withVersion(Protocol.MLFLOW.error(e), resolved.version());
        }
    }

    private HttpResponse tabular(HttpRequest request, ResolvedModel resolved, LoadedModel model) {
        MlflowScoringRequest scoring = reader.readRequest(request.body(), model.columns(),
                PredictionIds.idColumn(request));
        try (FeatureMatrix features = scoring.features()) {
            boolean mlflow = model.manifest().flavor().answersAsMlflow();
            ModelSignature signature = model.manifest().signature();
            if (mlflow) {
                ParamsValidation.validate(scoring.params(), signature);
            }
            String[] ids = PredictionIds.of(request, features.rows(), scoring.ids());
            LoadedModel.Scored scored = model.score(features);
            capture.record(resolved, features, scored, ids);
            Scores scores = scored.scores();
            int sizeHint = 64 + scores.rows() * (64 + Math.max(1, scores.labels()) * 24);
            if (!mlflow) {
                return PredictResponses.scored(model.version(), ids, sizeHint,
                        json -> writeCapstan(json, model, scored, ids));
            }
            boolean records = signature != null && !signature.inputs().isEmpty() ? !signature.inputsAreTensors()
                    : scoring.isDataFrame();
            return PredictResponses.scored(model.version(), ids, sizeHint, json -> {
                json.writeStartObject();
                if (records) {
                    MlflowAnswers.records(json, scored.outputs(), features.rows());
                } else {
                    MlflowAnswers.tensors(json, scored.outputs());
                }
                PredictResponses.writeIds(json, ids);
                writeModel(json, model);
            });
        }
    }

    private static void writeCapstan(JsonGenerator json, LoadedModel model, LoadedModel.Scored scored, String[] ids)
            throws IOException {
        ModelCard card = model.card();
        Scores scores = scored.scores();
        json.writeStartObject();
        json.writeArrayFieldStart("predictions");
        if (card.task() == ModelCard.Task.REGRESSION) {
            OutputValue.Tensor values = (OutputValue.Tensor) scored.outputs().require(card.outputTensor());
            String target = card.outputLabels().get(0);
            for (int row = 0; row < scores.rows(); row++) {
                json.writeStartObject();
                json.writeFieldName(target);
                OutputJson.element(json, values, row);
                json.writeStringField("prediction_id", ids[row]);
                json.writeEndObject();
            }
        } else {
            List<String> labels = card.outputLabels();
            for (int row = 0; row < scores.rows(); row++) {
                json.writeStartObject();
                json.writeStringField("label", labels.get(scores.predicted(row)));
                json.writeObjectFieldStart("probabilities");
                for (int label = 0; label < scores.labels(); label++) {
                    json.writeFieldName(labels.get(label));
                    json.writeNumber(scores.probability(row, label));
                }
                json.writeEndObject();
                json.writeStringField("prediction_id", ids[row]);
                json.writeEndObject();
            }
        }
        json.writeEndArray();
        writeModel(json, model);
    }

    /** Capstan's fields beside {@code predictions}, and the end of the answer's object. */
    private static void writeModel(JsonGenerator json, LoadedModel model) throws IOException {
        json.writeStringField("model_name", model.name());
        json.writeStringField("model_version", model.version());
        json.writeEndObject();
    }
}
