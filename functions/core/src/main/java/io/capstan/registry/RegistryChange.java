package io.capstan.registry;

import java.util.List;
import java.util.Objects;

/**
 * Writes to one registered model that must happen together or not at all: the model itself, some of its versions,
 * and the audit events recording why. Each write names the revision it was computed from.
 *
 * @param model    the model's new state and the revision it replaces, null to leave the model as is
 * @param versions versions' new states, each with the revision it replaces
 * @param audit    audit events to append
 */
public record RegistryChange(Revision<RegisteredModel> model, List<Revision<ModelVersion>> versions,
                             List<AuditEvent> audit) {
    public RegistryChange {
        versions = List.copyOf(versions);
        audit = List.copyOf(audit);
        if (model == null && versions.isEmpty()) {
            throw new IllegalArgumentException("a registry change writes the model, a version or both");
        }
        String name = model != null ? model.value().name() : versions.get(0).value().name();
        for (Revision<ModelVersion> v : versions) {
            if (!v.value().name().equals(name)) {
                throw new IllegalArgumentException("a registry change touches one model; got " + name + " and "
                        + v.value().name());
            }
        }
        for (AuditEvent e : audit) {
            Objects.requireNonNull(e, "audit event");
        }
    }

    public static RegistryChange ofModel(Revision<RegisteredModel> model, AuditEvent... audit) {
        return new RegistryChange(model, List.of(), List.of(audit));
    }

    public static RegistryChange ofVersion(Revision<ModelVersion> version) {
        return new RegistryChange(null, List.of(version), List.of());
    }
}
