package io.capstan.registry;

import java.util.List;
import java.util.Optional;

/**
 * Where registered models, their versions and their audit trails live. Implementations are safe for concurrent
 * use by many processes: {@link #commit} is all-or-nothing and refuses a write computed from a stale revision.
 * A version's {@link ModelVersion#name()} always reads as its model's current name, across renames.
 */
public interface RegistryStore {

    /**
     * Stores a new model.
     *
     * @throws io.capstan.error.CapstanException RESOURCE_ALREADY_EXISTS when the name is taken
     */
    void createModel(RegisteredModel model);

    Optional<Revision<RegisteredModel>> model(String name);

    /** Every registered model, in name order. */
    List<RegisteredModel> models();

    /**
     * Renames a model, atomically with its revision check and the name reservation.
     *
     * @return false when the model changed since {@code current} was read
     * @throws io.capstan.error.CapstanException RESOURCE_ALREADY_EXISTS when {@code newName} is taken
     */
    boolean rename(Revision<RegisteredModel> current, String newName, long now);

    /** Deletes a model with all its versions and its audit trail. */
    void deleteModel(String name);

    /**
     * Allocates the model's next version number; numbers are never handed out twice, deletions included.
     *
     * @throws io.capstan.error.CapstanException RESOURCE_DOES_NOT_EXIST for an unknown model
     */
    long allocateVersion(String name);

    /** Stores a new version under its model. */
    void createVersion(ModelVersion version);

    Optional<Revision<ModelVersion>> version(String name, long version);

    /** The model's versions, in version order. */
    List<Revision<ModelVersion>> versions(String name);

    /**
     * The versions registered from run {@code runId}, of every model (MLflow's UI shows them on the run's page). This
     * default reads every model's versions; a store with an index reads only these.
     */
    default List<Revision<ModelVersion>> versionsOfRun(String runId) {
        return models().stream().flatMap(model -> versions(model.name()).stream())
                .filter(version -> version.value().runId().equals(runId)).toList();
    }

    /** Deletes a version; aliases pointing at it are the caller's to remove first. */
    void deleteVersion(String name, long version);

    /**
     * Applies a change atomically.
     *
     * @return false, writing nothing, when any written item changed since its revision was read
     */
    boolean commit(RegistryChange change);

    /** Appends an audit event on its own (a refused change is recorded this way). */
    void appendAudit(AuditEvent event);

    /** The model's audit trail, oldest first. */
    List<AuditEvent> auditTrail(String name);
}
