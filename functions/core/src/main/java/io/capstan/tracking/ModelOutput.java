package io.capstan.tracking;

import java.util.Objects;

/**
 * A logged model a run produced, as MLflow's {@code ModelOutput}.
 *
 * @param modelId the logged model's id
 * @param step    the training step at which the run produced it (0 when the client sent none)
 */
public record ModelOutput(String modelId, long step) {
    public ModelOutput {
        Objects.requireNonNull(modelId, "modelId");
    }
}
