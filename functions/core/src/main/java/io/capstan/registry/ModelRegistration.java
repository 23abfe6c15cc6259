package io.capstan.registry;

import io.capstan.provenance.Provenance;
import java.util.Objects;

/**
 * Registers a pending model version as MLflow's registry does — any source, recorded as given — and decides whether
 * Capstan can serve it: resolves its source, copies what it holds to the registry's own immutable location, reads the
 * model's format (an MLflow model folder, a Capstan model card, a bare ONNX file), checks an ONNX model against its
 * signature or card, and gathers its provenance. Implementations never throw for a bad model: an ONNX model that is
 * corrupt or contradicts its own signature or card is a {@link Failed} outcome naming the problem; anything else
 * registers, servable or not.
 */
@FunctionalInterface
public interface ModelRegistration {

    Outcome register(ModelVersion pending);

    /**
     * Admits a source before a version number is allocated for it: refuses one no registration could take, and
     * answers the run to record with the version (the given one, or — as MLflow 3's server does — the source run of
     * the logged model the version is made from).
     *
     * @param runId   the run the request names; empty for none
     * @param modelId the MLflow 3 logged model the version is made from; empty for none
     * @throws io.capstan.error.CapstanException INVALID_PARAMETER_VALUE naming what is wrong with the source;
     *                                           RESOURCE_DOES_NOT_EXIST for an unknown logged model
     */
    default String admit(String source, String runId, String modelId) {
        return runId;
    }

    /**
     * How many bytes registering {@code source} would copy, as far as known before registering it: 0 when nothing
     * would be copied or the size cannot be known cheaply. {@link RegistryService} registers a source past its
     * background threshold outside the request.
     *
     * @param runId the run the version is recorded with; empty for none
     */
    default long sourceBytes(String source, String runId) {
        return 0;
    }

    /** What registration concluded. */
    sealed interface Outcome permits Registered, Failed {
    }

    /**
     * The version is registered.
     *
     * @param storageLocation the folder URI of the registry's copy; the source itself when there was nothing to copy
     * @param provenance      where the version came from
     * @param serving         whether Capstan can serve it, and why not
     */
    record Registered(String storageLocation, Provenance provenance, Servability serving) implements Outcome {
        public Registered {
            Objects.requireNonNull(storageLocation, "storageLocation");
            Objects.requireNonNull(provenance, "provenance");
            Objects.requireNonNull(serving, "serving");
        }
    }

    /**
     * The source is an ONNX model that cannot be what it claims: corrupt, or contradicting its signature or card.
     *
     * @param reason what is wrong, for the version's status message
     */
    record Failed(String reason) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
