package io.capstan.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the predict function serves a registered version, written by the registry as {@value #FILE_NAME} beside its
 * copy of the model and never changed after. It names the ONNX file, describes its graph, carries the MLflow signature
 * when the model has one, and — for a model that takes one row of named numeric columns and answers a class or a value —
 * a {@link ModelCard}, which the predict function's tabular path follows. A model without a card is served as named
 * tensors, as MLflow's ONNX flavor does.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param flavor        what the model was registered from, which also decides the shape of MLflow-protocol answers
 * @param modelFile     the ONNX file's name in the registry's copy
 * @param modelSha256   the ONNX file's SHA-256, lower-case hex
 * @param card          the tabular description; null when the model is served as named tensors
 * @param graph         the ONNX graph's inputs and outputs
 * @param signature     the MLflow signature; null when the model has none
 * @param profileSha256 the SHA-256 of the reference profile ({@code profile.json}) beside the model, which drift checks
 *                      and traffic capture read; null when the version has none
 */
public record ServingManifest(int formatVersion, Flavor flavor, String modelFile, String modelSha256, ModelCard card,
                              OnnxGraph graph, ModelSignature signature, String profileSha256) {

    public static final String FILE_NAME = "serving.json";
    /** The reference profile beside the model in a registry copy (the profile module's {@code profile.json}). */
    public static final String PROFILE_FILE = "profile.json";
    public static final int FORMAT_VERSION = 1;
    /** Writes manifests; built on first use, so reading one (a cold start's first prediction) never builds it. */
    private static final class Writer {
        static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    public ServingManifest {
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(graph, "graph");
        if (formatVersion != FORMAT_VERSION) {
            throw new InvalidModelFormatException("serving.json format_version " + formatVersion + " is not supported;"
                    + " this release reads " + FORMAT_VERSION + ".");
        }
    }

    /** A manifest of a version without a reference profile. */
    public ServingManifest(int formatVersion, Flavor flavor, String modelFile, String modelSha256, ModelCard card,
                           OnnxGraph graph, ModelSignature signature) {
        this(formatVersion, flavor, modelFile, modelSha256, card, graph, signature, null);
    }

    /** This manifest, recording the digest of the reference profile copied beside the model. */
    public ServingManifest withProfileSha256(String sha256) {
        return new ServingManifest(formatVersion, flavor, modelFile, modelSha256, card, graph, signature, sha256);
    }

    public Optional<ModelCard> tabularCard() {
        return Optional.ofNullable(card);
    }

    public Optional<ModelSignature> mlflowSignature() {
        return Optional.ofNullable(signature);
    }

    /** Where a served model came from. */
    public enum Flavor {
        /** Capstan's trainer: {@code model.onnx} with {@code model-card.json}. Answers in Capstan's shape. */
        CAPSTAN,
        /** An MLflow model folder ({@code MLmodel}) with the {@code onnx} flavor. Answers as MLflow's pyfunc server. */
        MLFLOW_ONNX,
        /** A bare ONNX file. Answers as MLflow's pyfunc server would for it without a signature. */
        ONNX;

        /** Whether MLflow-protocol answers take the shape of MLflow's pyfunc scoring server. */
        public boolean answersAsMlflow() {
            return this != CAPSTAN;
        }
    }

    public byte[] toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("format_version", formatVersion);
        root.put("flavor", flavor.name().toLowerCase(Locale.ROOT));
        root.put("model_file", modelFile);
        root.put("model_sha256", modelSha256);
        if (card != null) {
            root.set("card", card.toJsonTree());
        }
        root.set("graph", graph.toJson());
        if (signature != null) {
            ObjectNode sig = root.putObject("signature");
            sig.put("inputs", signature.inputsJson());
            sig.put("outputs", signature.outputsJson());
            sig.put("params", signature.paramsJson());
        }
        if (profileSha256 != null) {
            root.put("profile_sha256", profileSha256);
        }
        try {
            return Writer.JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest always serializes", e);
        }
    }

    /**
     * Reads a manifest.
     *
     * @throws InvalidModelFormatException when the JSON is malformed or a field is missing
     */
    public static ServingManifest fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JsonTrees.read(json);
        } catch (IOException e) {
            throw new InvalidModelFormatException("serving.json is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("graph").isObject() || !root.path("model_file").isTextual()
                || !root.path("model_sha256").isTextual()) {
            throw new InvalidModelFormatException("serving.json lacks model_file, model_sha256 or graph.");
        }
        Flavor flavor;
        try {
            flavor = Flavor.valueOf(root.path("flavor").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidModelFormatException("serving.json has flavor '" + root.path("flavor").asText()
                    + "'; this release reads capstan, mlflow_onnx and onnx.");
        }
        JsonNode sig = root.path("signature");
        ModelSignature signature = sig.isObject() ? ModelSignature.parse(text(sig, "inputs"), text(sig, "outputs"),
                text(sig, "params")) : null;
        return new ServingManifest(root.path("format_version").asInt(), flavor, root.get("model_file").asText(),
                root.get("model_sha256").asText(), root.path("card").isObject() ? ModelCard.fromJson(root.get("card"))
                : null, OnnxGraph.fromJson(root.get("graph")), signature,
                root.hasNonNull("profile_sha256") ? root.get("profile_sha256").asText() : null);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
