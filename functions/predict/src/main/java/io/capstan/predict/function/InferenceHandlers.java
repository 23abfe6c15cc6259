package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationHandler;
import io.capstan.model.ModelCard;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.input.OipInferReader;
import io.capstan.predict.input.OipInferRequest;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.Scores;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol v2 endpoints (KServe, Triton). An infer answer carries two outputs: {@code label}
 * (BYTES, shape {@code [N]}: the most probable class) and {@code probabilities} (FP32, shape {@code [N, L]}, row-major,
 * classes in the card's label order), with {@code model_name}, {@code model_version} and the request's {@code id}.
 * Model metadata describes the input tensor and lists the feature columns and labels under {@code parameters}; model
 * ready loads the model and answers {@code {"name", "model_version", "ready": true}}. The health endpoints answer 200
 * with {@code {"live": true}} / {@code {"ready": true}}, as KServe's server does (the protocol's clients read the status).
 */
final class InferenceHandlers {
    static final String LABEL_OUTPUT = "label";
    static final String PROBABILITIES_OUTPUT = "probabilities";
    static final String SERVER_NAME = "capstan-predict";
    static final String SERVER_VERSION = "0.1.0";
    private static final List<String> OUTPUTS = List.of(LABEL_OUTPUT, PROBABILITIES_OUTPUT);

    private final ModelLookup lookup;
    private final OipInferReader reader;
    private final TrafficCapture capture;

    InferenceHandlers(ModelLookup lookup, OipInferReader reader, TrafficCapture capture) {
        this.lookup = lookup;
        this.reader = reader;
        this.capture = capture;
    }

    Map<String, OperationHandler> handlers() {
        return Map.of(
                PredictOperations.MODEL_INFER, this::infer,
                PredictOperations.MODEL_METADATA, this::modelMetadata,
                PredictOperations.MODEL_READY, this::modelReady,
                PredictOperations.SERVER_LIVE, (request, path) -> flag("live"),
                PredictOperations.SERVER_READY, (request, path) -> flag("ready"),
                PredictOperations.SERVER_METADATA, (request, path) -> serverMetadata());
    }

    private HttpResponse infer(HttpRequest request, Map<String, String> pathParameters) {
        ModelLookup.requireJson(request);
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        try (LoadedModel.Lease lease = lookup.load(resolved)) {
            LoadedModel model = lease.model();
            OipInferRequest infer = reader.read(request.body(), model.columns(), model.card().inputTensor());
            try (FeatureMatrix features = infer.features()) {
                List<String> outputs = outputsOf(infer);
                Scores scores = model.score(features);
                capture.record(resolved, features, scores);
                int sizeHint = 128 + scores.rows() * (24 + scores.labels() * 14);
                return PredictResponses.fromVersion(200, model.version(), sizeHint,
                        json -> writeInferResponse(json, model, infer, outputs, scores));
            }
        } catch (CapstanException e) {
            return PredictResponses.withVersion(Protocol.OPEN_INFERENCE.error(e), resolved.version());
        }
    }

    private HttpResponse modelMetadata(HttpRequest request, Map<String, String> pathParameters) {
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        ModelCard card = resolved.card();
        return PredictResponses.fromVersion(200, resolved.version(), 512, json -> {
            json.writeStartObject();
            json.writeStringField("name", resolved.name());
            json.writeArrayFieldStart("versions");
            json.writeString(resolved.version());
            json.writeEndArray();
            json.writeStringField("platform", "onnxruntime");
            json.writeArrayFieldStart("inputs");
            writeTensorMetadata(json, card.inputTensor(), "FP32", card.features().size());
            json.writeEndArray();
            json.writeArrayFieldStart("outputs");
            writeTensorMetadata(json, LABEL_OUTPUT, "BYTES", 0);
            writeTensorMetadata(json, PROBABILITIES_OUTPUT, "FP32", card.outputLabels().size());
            json.writeEndArray();
            json.writeObjectFieldStart("parameters");
            writeStrings(json, "feature_columns", card.features());
            writeStrings(json, "labels", card.outputLabels());
            json.writeStringField("sha256", resolved.sha256());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private HttpResponse modelReady(HttpRequest request, Map<String, String> pathParameters) {
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        try (LoadedModel.Lease lease = lookup.load(resolved)) {
            return PredictResponses.fromVersion(200, resolved.version(), 64, json -> {
                json.writeStartObject();
                json.writeStringField("name", lease.model().name());
                json.writeStringField("model_version", lease.model().version());
                json.writeBooleanField("ready", true);
                json.writeEndObject();
            });
        } catch (CapstanException e) {
            return PredictResponses.withVersion(Protocol.OPEN_INFERENCE.error(e), resolved.version());
        }
    }

    private static HttpResponse flag(String name) {
        return PredictResponses.json(200, 16, json -> {
            json.writeStartObject();
            json.writeBooleanField(name, true);
            json.writeEndObject();
        });
    }

    private static HttpResponse serverMetadata() {
        return PredictResponses.json(200, 96, json -> {
            json.writeStartObject();
            json.writeStringField("name", SERVER_NAME);
            json.writeStringField("version", SERVER_VERSION);
            json.writeArrayFieldStart("extensions");
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static List<String> outputsOf(OipInferRequest infer) {
        for (String name : infer.requestedOutputs()) {
            if (!OUTPUTS.contains(name)) {
                throw CapstanException.invalidParameter("Output '" + name + "' does not exist; the model answers "
                        + String.join(" and ", OUTPUTS) + ".");
            }
        }
        return infer.requestedOutputs().isEmpty() ? OUTPUTS : infer.requestedOutputs();
    }

    private static void writeInferResponse(JsonGenerator json, LoadedModel model, OipInferRequest infer,
                                           List<String> outputs, Scores scores) throws IOException {
        json.writeStartObject();
        json.writeStringField("model_name", model.name());
        json.writeStringField("model_version", model.version());
        if (infer.id() != null) {
            json.writeStringField("id", infer.id());
        }
        json.writeArrayFieldStart("outputs");
        for (String output : outputs) {
            json.writeStartObject();
            json.writeStringField("name", output);
            boolean labels = output.equals(LABEL_OUTPUT);
            json.writeStringField("datatype", labels ? "BYTES" : "FP32");
            json.writeArrayFieldStart("shape");
            json.writeNumber(scores.rows());
            if (!labels) {
                json.writeNumber(scores.labels());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("data");
            if (labels) {
                List<String> names = model.card().outputLabels();
                for (int row = 0; row < scores.rows(); row++) {
                    json.writeString(names.get(scores.predicted(row)));
                }
            } else {
                for (float probability : scores.probabilities()) {
                    json.writeNumber(probability);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A tensor of shape {@code [-1]} (columns 0) or {@code [-1, columns]}: -1 marks the batch dimension. */
    private static void writeTensorMetadata(JsonGenerator json, String name, String datatype, int columns)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("name", name);
        json.writeStringField("datatype", datatype);
        json.writeArrayFieldStart("shape");
        json.writeNumber(-1);
        if (columns > 0) {
            json.writeNumber(columns);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
