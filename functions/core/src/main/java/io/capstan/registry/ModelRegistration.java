package io.capstan.registry;

import io.capstan.provenance.Provenance;
import java.util.Objects;

/**
 * Turns a pending model version into a servable one: resolves its source, copies the model to the registry's own
 * immutable location, checks it against its model card and gathers its provenance. Implementations never throw
 * for a bad model: that is a {@link Failed} outcome with a message naming the problem.
 */
@FunctionalInterface
public interface ModelRegistration {

    Outcome register(ModelVersion pending);

    /** What registration concluded. */
    sealed interface Outcome permits Registered, Failed {
    }

    /**
     * The model was copied and checked.
     *
     * @param storageLocation the folder URI of the registry's copy
     * @param provenance      where the version came from
     */
    record Registered(String storageLocation, Provenance provenance) implements Outcome {
        public Registered {
            Objects.requireNonNull(storageLocation, "storageLocation");
            Objects.requireNonNull(provenance, "provenance");
        }
    }

    /**
     * The model cannot be served.
     *
     * @param reason what is wrong, for the version's status message
     */
    record Failed(String reason) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
