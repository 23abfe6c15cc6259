package io.capstan.predict.function;

import com.fasterxml.jackson.core.JsonGenerator;
import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationHandler;
import io.capstan.model.GraphValue;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.input.FeatureMatrix;
import io.capstan.predict.input.OipInferReader;
import io.capstan.predict.input.OipInferRequest;
import io.capstan.predict.onnx.ElementType;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.Scores;
import io.capstan.predict.tensor.TensorScoring;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol v2 endpoints (KServe, Triton). A classifier of Capstan's flavor answers two outputs:
 * {@code label} (BYTES, shape {@code [N]}: the label output's value or the most probable class) and
 * {@code probabilities} (FP32, shape {@code [N, L]}, row-major, classes in the card's label order); a regressor of
 * Capstan's flavor, and every model of an MLflow flavor, answers its graph's outputs by name ({@link OipAnswers}). Every
 * answer carries {@code model_name}, {@code model_version} and the request's {@code id}. Model metadata describes the
 * inputs and outputs (the card's for Capstan's flavor, the graph's otherwise); model ready loads the model and answers
 * {@code {"name", "model_version", "ready": true}}. The health endpoints answer 200 with {@code {"live": true}} /
 * {@code {"ready": true}}, as KServe's server does (the protocol's clients read the status).
 */
final class InferenceHandlers {
    static final String LABEL_OUTPUT = "label";
    static final String PROBABILITIES_OUTPUT = "probabilities";
    static final String SERVER_NAME = "capstan-predict";
    static final String SERVER_VERSION = "0.1.0";
    private static final List<String> OUTPUTS = List.of(LABEL_OUTPUT, PROBABILITIES_OUTPUT);

    private final ModelLookup lookup;
    private final OipInferReader reader;
    private final TensorScoring tensors;
    private final TrafficCapture capture;

    InferenceHandlers(ModelLookup lookup, OipInferReader reader, TensorScoring tensors, TrafficCapture capture) {
        this.lookup = lookup;
        this.reader = reader;
        this.tensors = tensors;
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
        ModelLookup.requireInferBody(request);
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        try (LoadedModel.Lease lease = lookup.load(resolved)) {
            LoadedModel model = lease.model();
            if (model.isTabular()) {
                return inferTabular(request, resolved, model);
            }
            PredictionIds.checkTensorRequest(request);
            TensorScoring.OipResult result = tensors.infer(BinaryTensors.of(request), model);
            List<String> outputs = OipAnswers.requested(result.requestedOutputs(), model.graph().outputNames());
            String[] ids = PredictionIds.ofTensors(request, result.outputs());
            BinaryOutputs binary = new BinaryOutputs(result.binaryOutputs());
            return PredictResponses.scored(model.version(), ids, 256, binary, json -> {
                writeHead(json, model, result.id());
                OipAnswers.outputs(json, result.outputs(), outputs, binary);
                json.writeObjectFieldStart("parameters");
                PredictResponses.writeIds(json, ids);
                json.writeEndObject();
                json.writeEndObject();
            });
        } catch (CapstanException e) {
            return PredictResponses.withVersion(Protocol.OPEN_INFERENCE.error(e), resolved.version());
        }
    }

    private HttpResponse inferTabular(HttpRequest request, ResolvedModel resolved, LoadedModel model) {
        ModelCard card = model.card();
        OipInferRequest infer = reader.read(BinaryTensors.of(request), model.columns(), card.inputTensor(),
                PredictionIds.idColumn(request));
        try (FeatureMatrix features = infer.features()) {
            boolean synthetic = !model.manifest().flavor().answersAsMlflow()
                    && card.task() == ModelCard.Task.CLASSIFICATION;
            List<String> outputs = OipAnswers.requested(infer.requestedOutputs(), synthetic ? OUTPUTS
                    : model.manifest().flavor().answersAsMlflow() ? model.graph().outputNames()
                    : List.of(card.outputTensor()));
            String[] ids = PredictionIds.of(request, features.rows(), infer.ids());
            LoadedModel.Scored scored = model.score(features);
            capture.record(resolved, features, scored, ids);
            Scores scores = scored.scores();
            int sizeHint = 128 + scores.rows() * (64 + Math.max(1, scores.labels()) * 14);
            BinaryOutputs binary = new BinaryOutputs(infer.binaryOutputs());
            return PredictResponses.scored(model.version(), ids, sizeHint, binary, json -> {
                writeHead(json, model, infer.id());
                if (synthetic) {
                    writeCapstanOutputs(json, card, outputs, scores, binary);
                } else {
                    OipAnswers.tabularOutputs(json, card, scored.outputs(), scores, outputs, binary);
                }
                json.writeObjectFieldStart("parameters");
                PredictResponses.writeIds(json, ids);
                json.writeEndObject();
                json.writeEndObject();
            });
        }
    }

    private static void writeHead(JsonGenerator json, LoadedModel model, String id) throws IOException {
        json.writeStartObject();
        json.writeStringField("model_name", model.name());
        json.writeStringField("model_version", model.version());
        if (id != null) {
            json.writeStringField("id", id);
        }
    }

    private static void writeCapstanOutputs(JsonGenerator json, ModelCard card, List<String> outputs, Scores scores,
                                            BinaryOutputs binary) throws IOException {
        json.writeArrayFieldStart("outputs");
        for (String output : outputs) {
            if (output.equals(PROBABILITIES_OUTPUT)) {
                OipAnswers.probabilities(json, output, scores, null, binary);
                continue;
            }
            OipAnswers.openTensor(json, output, "BYTES", scores.rows());
            List<String> names = card.outputLabels();
            if (binary.asks(output)) {
                List<String> labels = new ArrayList<>(scores.rows());
                for (int row = 0; row < scores.rows(); row++) {
                    labels.add(names.get(scores.predicted(row)));
                }
                binary.strings(json, labels);
            } else {
                json.writeArrayFieldStart("data");
                for (int row = 0; row < scores.rows(); row++) {
                    json.writeString(names.get(scores.predicted(row)));
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private HttpResponse modelMetadata(HttpRequest request, Map<String, String> pathParameters) {
        ResolvedModel resolved = lookup.resolve(request, pathParameters);
        ServingManifest manifest = resolved.manifest();
        ModelCard card = manifest.card();
        boolean fromCard = card != null && (!manifest.flavor().answersAsMlflow()
                || !OipAnswers.describes(manifest.graph()));
        return PredictResponses.fromVersion(200, resolved.version(), 512, json -> {
            json.writeStartObject();
            json.writeStringField("name", resolved.name());
            json.writeArrayFieldStart("versions");
            json.writeString(resolved.version());
            json.writeEndArray();
            json.writeStringField("platform", "onnxruntime");
            if (fromCard) {
                writeCardTensors(json, card, manifest);
            } else {
                json.writeArrayFieldStart("inputs");
                for (GraphValue value : manifest.graph().inputs()) {
                    OipAnswers.metadataTensor(json, value, card);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("outputs");
                for (GraphValue value : manifest.graph().outputs()) {
                    OipAnswers.metadataTensor(json, value, card);
                }
                json.writeEndArray();
            }
            json.writeObjectFieldStart("parameters");
            if (card != null) {
                writeStrings(json, "feature_columns", card.features());
                writeStrings(json, "labels", card.outputLabels());
            }
            json.writeStringField("sha256", resolved.sha256());
            json.writeStringField("flavor", manifest.flavor().name().toLowerCase(java.util.Locale.ROOT));
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** Capstan's flavor: the card's input tensor and, for a classifier, the {@code label} and {@code probabilities}. */
    private static void writeCardTensors(JsonGenerator json, ModelCard card, ServingManifest manifest)
            throws IOException {
        json.writeArrayFieldStart("inputs");
        OipAnswers.metadataTensor(json, card.inputTensor(), ElementType.of(card.inputType()).oipName(),
                card.features().size());
        json.writeEndArray();
        json.writeArrayFieldStart("outputs");
        if (card.task() == ModelCard.Task.REGRESSION) {
            GraphValue output = manifest.graph().output(card.outputTensor()).orElse(null);
            if (output != null) {
                OipAnswers.metadataTensor(json, output, card);
            } else {
                OipAnswers.metadataTensor(json, card.outputTensor(), "FP32", 0);
            }
        } else {
            OipAnswers.metadataTensor(json, LABEL_OUTPUT, "BYTES", 0);
            OipAnswers.metadataTensor(json, PROBABILITIES_OUTPUT, "FP32", card.outputLabels().size());
        }
        json.writeEndArray();
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

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
