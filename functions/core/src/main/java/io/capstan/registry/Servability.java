package io.capstan.registry;

import java.util.Objects;

/**
 * Whether Capstan can serve a model version, decided at registration and kept with it. MLflow's registry records any
 * source; Capstan serves ONNX models whose graph agrees with their signature or card. A version that is not servable is
 * still {@code READY} for every registry workflow; predicting with it, or pointing Capstan's serving controls at it,
 * answers 400 with {@link #reason()}.
 *
 * @param servable       whether the predict function can serve the version
 * @param reason         why not, for a person (what the version holds and what to do); empty when servable
 * @param manifestSha256 the SHA-256 of the serving manifest ({@code serving.json}) the registry wrote beside its copy:
 *                       the root of the digests every served file is checked against; empty for a version that is not
 *                       servable or was registered before manifests existed
 */
public record Servability(boolean servable, String reason, String manifestSha256) {
    /** Servable, by a release that wrote no manifest digest. */
    public static final Servability SERVABLE = new Servability(true, "", "");

    public Servability {
        reason = Objects.requireNonNullElse(reason, "");
        manifestSha256 = Objects.requireNonNullElse(manifestSha256, "");
        if (!servable && reason.isBlank()) {
            throw new IllegalArgumentException("a version that is not servable needs the reason");
        }
    }

    /** Servable as the manifest with this digest says. */
    public static Servability servableBy(String manifestSha256) {
        return new Servability(true, "", manifestSha256);
    }

    public static Servability notServable(String reason) {
        return new Servability(false, reason, "");
    }
}
