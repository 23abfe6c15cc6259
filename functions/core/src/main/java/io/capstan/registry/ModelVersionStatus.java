package io.capstan.registry;

/** Where a model version's registration stands, as MLflow's {@code ModelVersionStatus}. */
public enum ModelVersionStatus {
    /** Accepted; the model is being copied and checked. */
    PENDING_REGISTRATION,
    /** The model could not be registered; {@link ModelVersion#statusMessage()} says why. Never served. */
    FAILED_REGISTRATION,
    /** Copied to the registry's own location and checked against its card; may be served. */
    READY
}
