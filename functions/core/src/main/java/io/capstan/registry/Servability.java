package io.capstan.registry;

import java.util.Objects;

/**
 * Whether Capstan can serve a model version, decided at registration and kept with it. MLflow's registry records any
 * source; Capstan serves ONNX models whose graph agrees with their signature or card. A version that is not servable is
 * still {@code READY} for every registry workflow; predicting with it, or pointing Capstan's serving controls at it,
 * answers 400 with {@link #reason()}.
 *
 * @param servable whether the predict function can serve the version
 * @param reason   why not, for a person (what the version holds and what to do); empty when servable
 */
public record Servability(boolean servable, String reason) {
    public static final Servability SERVABLE = new Servability(true, "");

    public Servability {
        reason = Objects.requireNonNullElse(reason, "");
        if (!servable && reason.isBlank()) {
            throw new IllegalArgumentException("a version that is not servable needs the reason");
        }
    }

    public static Servability notServable(String reason) {
        return new Servability(false, reason);
    }
}
