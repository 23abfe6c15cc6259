package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationHandler;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.input.MlflowScoringReader;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.Scores;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * MLflow's scoring endpoint. The answer has MLflow's pyfunc shape for a model whose output is a data frame, one record
 * per row, plus the model that answered:
 * <pre>{@code
 * {"predictions": [{"label": "benign", "probabilities": {"malignant": 0.02, "benign": 0.98}}],
 *  "model_name": "breast-cancer", "model_version": "3"}
 * }</pre>
 * {@code label} is the most probable class (the first on a tie); {@code probabilities} holds every class in the card's
 * label order. {@code mlflow.deployments} clients read {@code predictions} and ignore the rest.
 */
final class ScoringHandler implements OperationHandler {
    private final ModelLookup lookup;
    private final MlflowScoringReader reader;
    private final TrafficCapture capture;

    ScoringHandler(ModelLookup lookup, MlflowScoringReader reader, TrafficCapture capture) {
        this.lookup = lookup;
        this.reader = reader;
        this.capture = capture;
    }

    @Override
    public HttpResponse handle(HttpRequest request, Map<String, String> pathParameters) {
        ModelLookup.requireJson(request);
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        try (LoadedModel.Lease lease = lookup.load(resolved);
             FeatureMatrix features = reader.read(request.body(), lease.model().columns())) {
            LoadedModel model = lease.model();
            Scores scores = model.score(features);
            capture.record(resolved, features, scores);
            int sizeHint = 64 + scores.rows() * (24 + scores.labels() * 24);
            return PredictResponses.fromVersion(200, model.version(), sizeHint, json -> write(json, model, scores));
        } catch (CapstanException e) {
            return PredictResponses.withVersion(Protocol.MLFLOW.error(e), resolved.version());
        }
    }

    private static void write(JsonGenerator json, LoadedModel model, Scores scores) throws IOException {
        List<String> labels = model.card().outputLabels();
        json.writeStartObject();
        json.writeArrayFieldStart("predictions");
        for (int row = 0; row < scores.rows(); row++) {
            json.writeStartObject();
            json.writeStringField("label", labels.get(scores.predicted(row)));
            json.writeObjectFieldStart("probabilities");
            for (int label = 0; label < scores.labels(); label++) {
                json.writeFieldName(labels.get(label));
                json.writeNumber(scores.probability(row, label));
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("model_name", model.name());
        json.writeStringField("model_version", model.version());
        json.writeEndObject();
    }
}
