package io.capstan.local.training;

import java.nio.file.Path;

/** How a local training ended. */
public sealed interface TrainingOutcome permits TrainingOutcome.Trained, TrainingOutcome.Failed {

    /** @param modelDir the contract's model folder: model.onnx, model-card.json, metrics.json, … */
    record Trained(Path modelDir) implements TrainingOutcome {
    }

    /** @param reason the trainer's own reason ({@code ClientError: …}) or why the process failed */
    record Failed(String reason) implements TrainingOutcome {
    }
}
