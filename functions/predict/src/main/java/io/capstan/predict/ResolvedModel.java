package io.capstan.predict;

import io.capstan.model.ModelCard;
import io.capstan.model.OnnxGraph;
import io.capstan.model.ServingManifest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model version chosen to serve a request.
 *
 * @param name     the registered model's name
 * @param version  the version number as MLflow writes it ({@code "3"})
 * @param sha256   lower-case hex SHA-256 of the ONNX bytes; the predict function keeps a loaded session per name,
 *                 version and checksum, and refuses bytes whose checksum differs
 * @param manifest how the version is served: its flavor (which decides the shape of MLflow-protocol answers), its
 *                 ONNX graph, its MLflow signature and, for a tabular model, its {@link ModelCard}
 * @param onnx     fetches the ONNX bytes; called only when this name, version and checksum are not loaded yet
 * @param referenceProfile fetches the version's {@code profile.json}, if it has one; read once per container and
 *                         version by the traffic capture
 * @param recordInputs     whether the model's prediction records hold each row's inputs (its
 *                         {@code capstan.quality.record_inputs} tag)
 */
public record ResolvedModel(String name, String version, String sha256, ServingManifest manifest, OnnxModelSource onnx,
                            ReferenceProfileSource referenceProfile, boolean recordInputs) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    /** The ONNX file's name in a version that release 1 registered (without {@code serving.json}). */
    public static final String LEGACY_MODEL_FILE = "model.onnx";

    public ResolvedModel {
        ModelReference.requireName(name);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be a positive decimal number, got " + version);
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(referenceProfile, "referenceProfile");
    }

    /** A version whose prediction records hold nothing of the inputs. */
    public ResolvedModel(String name, String version, String sha256, ServingManifest manifest, OnnxModelSource onnx,
                         ReferenceProfileSource referenceProfile) {
        this(name, version, sha256, manifest, onnx, referenceProfile, false);
    }

    /** A version of Capstan's trainer, described by its card alone (as release 1 registered it). */
    public ResolvedModel(String name, String version, String sha256, ModelCard card, OnnxModelSource onnx,
                         ReferenceProfileSource referenceProfile) {
        this(name, version, sha256, legacyManifest(card, sha256), onnx, referenceProfile);
    }

    /** A version of Capstan's trainer without a reference profile. */
    public ResolvedModel(String name, String version, String sha256, ModelCard card, OnnxModelSource onnx) {
        this(name, version, sha256, card, onnx, ReferenceProfileSource.NONE);
    }

    /**
     * The manifest of a version registered before manifests existed: flavor {@code CAPSTAN}, {@value
     * #LEGACY_MODEL_FILE}, the card, and an empty graph (the tabular path reads the graph from the session).
     */
    public static ServingManifest legacyManifest(ModelCard card, String sha256) {
        Objects.requireNonNull(card, "card");
        return new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.CAPSTAN, LEGACY_MODEL_FILE,
                sha256, card, new OnnxGraph(List.of(), List.of(), Map.of(), "", 0), null);
    }

    /** Whether the version is served on the tabular path: one numeric input described by a card. */
    public boolean isTabular() {
        return manifest.card() != null;
    }

    /**
     * The tabular description.
     *
     * @throws IllegalStateException when the version has no card ({@link #isTabular()} is false)
     */
    public ModelCard card() {
        ModelCard card = manifest.card();
        if (card == null) {
            throw new IllegalStateException("model '" + name + "' version " + version + " has no model card; it is"
                    + " served as named tensors");
        }
        return card;
    }

    public ServingManifest.Flavor flavor() {
        return manifest.flavor();
    }
}
