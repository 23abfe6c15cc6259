package io.capstan.predict.testutils;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.ResolvedModel;
import io.capstan.registry.ModelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A registry in memory: versions with their serving manifest (or just a card, as release 1 registered them), ONNX
 * bytes and reference profile, champions, aliases, canary routing by routing key, and counts of how often each
 * version's bytes and profile were fetched.
 */
public final class InMemoryModelResolver implements ModelResolver {
    /** A version as registered: the answer a resolve gives, built once as a caching registry would. */
    private record Stored(ServingManifest manifest, byte[] onnx, String recordedSha256, ResolvedModel resolved) {
    }

    private final Map<String, Stored> versions = new ConcurrentHashMap<>();
    private final Map<String, Integer> champions = new ConcurrentHashMap<>();
    private final Map<String, Integer> aliases = new ConcurrentHashMap<>();
    private final Map<String, Integer> canaries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();
    private final Map<String, byte[]> profiles = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> profileFetches = new ConcurrentHashMap<>();
    private final Map<String, Boolean> profileUnreadable = new ConcurrentHashMap<>();
    private final AtomicReference<Optional<String>> lastRoutingKey = new AtomicReference<>(Optional.empty());
    private final List<ModelReference> hot = new ArrayList<>();

    /** Registers a version; the first version of a model becomes its champion. */
    public InMemoryModelResolver register(String name, int version, ModelCard card, byte[] onnx) {
        return register(name, version, ResolvedModel.legacyManifest(card, Hashes.sha256(onnx)), onnx);
    }

    /** Registers a version served as its manifest says; the first version of a model becomes its champion. */
    public InMemoryModelResolver register(String name, int version, ServingManifest manifest, byte[] onnx) {
        store(name, version, manifest, onnx, Hashes.sha256(onnx));
        champions.putIfAbsent(name, version);
        return this;
    }

    public InMemoryModelResolver register(String name, int version, TrainedModel model) {
        return register(name, version, model.card(), model.onnx());
    }

    /**
     * Registers a trained model with a reference profile of its features and a probability column per class, so that
     * traffic capture sketches both.
     */
    public InMemoryModelResolver registerWithProfile(String name, int version, TrainedModel model) {
        return register(name, version, model).profile(name, version, ReferenceProfiles.of(model,
                model.card().outputLabels()).toJson());
    }

    /** Gives a version a reference profile ({@code profile.json}), as the registry copies the trainer's. */
    public InMemoryModelResolver profile(String name, int version, byte[] profileJson) {
        profiles.put(key(name, version), profileJson.clone());
        return this;
    }

    /** Makes reading a version's reference profile fail, as an unreachable store would, or succeed again. */
    public InMemoryModelResolver profileUnreadable(String name, int version, boolean unreadable) {
        profileUnreadable.put(key(name, version), unreadable);
        return this;
    }

    public int profileFetches(String name, int version) {
        AtomicInteger count = profileFetches.get(key(name, version));
        return count == null ? 0 : count.get();
    }

    /** Replaces a version's bytes, as a re-upload would: the recorded checksum follows. */
    public InMemoryModelResolver replaceBytes(String name, int version, byte[] onnx) {
        store(name, version, versions.get(key(name, version)).manifest(), onnx, Hashes.sha256(onnx));
        return this;
    }

    /** Serves bytes that do not match the recorded checksum, as a corrupted artifact would. */
    public InMemoryModelResolver corruptBytes(String name, int version, byte[] onnx) {
        Stored old = versions.get(key(name, version));
        store(name, version, old.manifest(), onnx, old.recordedSha256());
        return this;
    }

    /** Marks the version's records to hold its inputs, as the model's {@code capstan.quality.record_inputs} tag does. */
    public InMemoryModelResolver recordInputs(String name, int version) {
        Stored stored = versions.get(key(name, version));
        ResolvedModel r = stored.resolved();
        versions.put(key(name, version), new Stored(stored.manifest(), stored.onnx(), stored.recordedSha256(),
                new ResolvedModel(r.name(), r.version(), r.sha256(), r.manifest(), r.onnx(), r.referenceProfile(),
                        true)));
        return this;
    }

    public InMemoryModelResolver champion(String name, int version) {
        champions.put(name, version);
        return this;
    }

    public InMemoryModelResolver alias(String name, String alias, int version) {
        aliases.put(name + "@" + alias, version);
        return this;
    }

    /** Requests for the champion carrying {@code routingKey} get {@code version} instead. */
    public InMemoryModelResolver canary(String name, String routingKey, int version) {
        canaries.put(name + "#" + routingKey, version);
        return this;
    }

    public InMemoryModelResolver hot(ModelReference reference) {
        hot.add(reference);
        return this;
    }

    public int fetches(String name, int version) {
        AtomicInteger count = fetches.get(key(name, version));
        return count == null ? 0 : count.get();
    }

    /** The routing key of the latest request. */
    public Optional<String> lastRoutingKey() {
        return lastRoutingKey.get();
    }

    @Override
    public List<ModelReference> hotModels() {
        return List.copyOf(hot);
    }

    @Override
    public ResolvedModel resolve(ModelReference reference, Optional<String> routingKey) {
        lastRoutingKey.set(routingKey);
        String name = reference.name();
        Integer version;
        if (reference.selector() instanceof ModelSelector.Version pinned) {
            version = (int) pinned.version();
        } else if (reference.selector() instanceof ModelSelector.Alias alias) {
            version = aliases.get(name + "@" + alias.alias());
        } else {
            version = routingKey.map(k -> canaries.get(name + "#" + k)).orElse(champions.get(name));
        }
        Stored stored = version == null ? null : versions.get(key(name, version));
        if (stored == null) {
            throw CapstanException.notFound("Model '" + reference + "' does not exist.");
        }
        return stored.resolved();
    }

    private void store(String name, int version, ServingManifest manifest, byte[] onnx, String recordedSha256) {
        String versionKey = key(name, version);
        ResolvedModel resolved = new ResolvedModel(name, String.valueOf(version), recordedSha256, manifest, () -> {
            fetches.computeIfAbsent(versionKey, k -> new AtomicInteger()).incrementAndGet();
            return onnx.clone();
        }, () -> {
            profileFetches.computeIfAbsent(versionKey, k -> new AtomicInteger()).incrementAndGet();
            if (profileUnreadable.getOrDefault(versionKey, false)) {
                throw new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the profile store is unreachable");
            }
            return Optional.ofNullable(profiles.get(versionKey)).map(byte[]::clone);
        });
        versions.put(versionKey, new Stored(manifest, onnx, recordedSha256, resolved));
    }

    private static String key(String name, int version) {
        return name + "/" + version;
    }
}
