package io.capstan.predict;

import io.capstan.model.ModelCard;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model version chosen to serve a request.
 *
 * @param name    the registered model's name
 * @param version the version number as MLflow writes it ({@code "3"})
 * @param sha256  lower-case hex SHA-256 of the ONNX bytes; the predict function keeps a loaded session per name,
 *                version and checksum, and refuses bytes whose checksum differs
 * @param card    what the model takes and answers
 * @param onnx    fetches the ONNX bytes; called only when this name, version and checksum are not loaded yet
 * @param referenceProfile fetches the version's {@code profile.json}, if it has one; read once per container and
 *                         version by the traffic capture
 */
public record ResolvedModel(String name, String version, String sha256, ModelCard card, OnnxModelSource onnx,
                            ReferenceProfileSource referenceProfile) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");

    public ResolvedModel {
        ModelReference.requireName(name);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be a positive decimal number, got " + version);
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
        }
        Objects.requireNonNull(card, "card");
        Objects.requireNonNull(onnx, "onnx");
        Objects.requireNonNull(referenceProfile, "referenceProfile");
    }

    /** A version without a reference profile. */
    public ResolvedModel(String name, String version, String sha256, ModelCard card, OnnxModelSource onnx) {
        this(name, version, sha256, card, onnx, ReferenceProfileSource.NONE);
    }
}
