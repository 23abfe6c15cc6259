package io.capstan.predict.testutils;

import io.capstan.registry.AuditEvent;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryChange;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's reads in memory, for the resolver's logic (which versions it reads and what it does with them); the
 * store itself is tested against DynamoDB Local in its own module. Writes other than creating a model or version are
 * not the resolver's and are refused.
 */
public final class InMemoryRegistryStore implements RegistryStore {
    private final Map<String, RegisteredModel> models = new ConcurrentHashMap<>();
    private final Map<String, ModelVersion> versions = new ConcurrentHashMap<>();

    @Override
    public void createModel(RegisteredModel model) {
        models.put(model.name(), model);
    }

    @Override
    public Optional<Revision<RegisteredModel>> model(String name) {
        return Optional.ofNullable(models.get(name)).map(m -> new Revision<>(m, 1));
    }

    @Override
    public List<RegisteredModel> models() {
        return List.copyOf(models.values());
    }

    @Override
    public void createVersion(ModelVersion version) {
        versions.put(version.name() + "/" + version.version(), version);
    }

    @Override
    public Optional<Revision<ModelVersion>> version(String name, long version) {
        return Optional.ofNullable(versions.get(name + "/" + version)).map(v -> new Revision<>(v, 1));
    }

    @Override
    public List<Revision<ModelVersion>> versions(String name) {
        return versions.values().stream().filter(v -> v.name().equals(name)).map(v -> new Revision<>(v, 1)).toList();
    }

    @Override
    public boolean rename(Revision<RegisteredModel> current, String newName, long now) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public void deleteModel(String name) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public long allocateVersion(String name) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public void deleteVersion(String name, long version) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public boolean commit(RegistryChange change) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public void appendAudit(AuditEvent event) {
        throw new UnsupportedOperationException("not the resolver's");
    }

    @Override
    public List<AuditEvent> auditTrail(String name) {
        throw new UnsupportedOperationException("not the resolver's");
    }
}
