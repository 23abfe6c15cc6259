package io.capstan.predict.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.model.ModelCard;
import io.capstan.model.ModelSignature;
import io.capstan.model.OnnxGraph;
import io.capstan.model.ServingManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * One ONNX fixture model (see {@link OnnxFixtures}).
 *
 * @param name      the fixture's folder
 * @param onnx      {@code model/model.onnx}
 * @param expected  {@code expected.json}
 * @param signature the MLflow signature from {@code model/MLmodel}; null when it has none
 * @param graph     the graph's inputs and outputs, as {@code expected.json} describes them
 */
public record OnnxFixture(String name, byte[] onnx, JsonNode expected, ModelSignature signature, OnnxGraph graph) {

    /** The manifest the registry writes for the fixture as an MLflow model, with {@code card} (null: tensor path). */
    public ServingManifest manifest(ModelCard card) {
        return manifest(card, signature);
    }

    /** The manifest of the fixture's graph logged with another signature. */
    public ServingManifest manifest(ModelCard card, ModelSignature loggedWith) {
        return new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.MLFLOW_ONNX, "model.onnx",
                Hashes.sha256(onnx), card, graph, loggedWith);
    }

    /** The manifest of the fixture's bare ONNX file: no signature, no card. */
    public ServingManifest bareOnnxManifest() {
        return new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.ONNX, "model.onnx",
                Hashes.sha256(onnx), null, graph, null);
    }

    /** The input columns {@code expected.json} lists. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>();
        expected.path("columns").forEach(c -> columns.add(c.asText()));
        return columns;
    }

    /** The tolerance {@code expected.json} states for comparing answers with its references. */
    public double tolerance() {
        return expected.path("tolerance").asDouble();
    }

    public JsonNode rows() {
        return expected.path("rows");
    }
}
