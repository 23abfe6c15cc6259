package io.capstan.predict.registry;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.ResolvedModel;
import io.capstan.profile.DatasetProfile;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredCopy;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import io.capstan.tracking.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Resolves prediction requests against the model registry. A model's aliases and traffic policy are cached for
 * {@link #MODEL_TTL} (so a new champion or policy reaches warm containers within seconds, without a redeploy), a
 * version's registry record for {@link #VERSION_TTL}, and a serving manifest for good (a version's copy never
 * changes). The manifest is the registry's {@code serving.json} beside its copy of the model; a version registered by
 * release 1, which has none, is served from its {@code model-card.json} as flavor {@code CAPSTAN}. The ONNX bytes (the
 * file the manifest names) are read from the registry's own copy only when the serving container has not loaded that
 * version, and its reference profile ({@code profile.json} beside it, when there is one) when the traffic capture first
 * needs it. Only {@code READY} versions that the registry found servable are served.
 */
public final class RegistryModelResolver implements ModelResolver {
    /** How long a model's aliases and traffic policy are trusted before they are read again. */
    public static final Duration MODEL_TTL = Duration.ofSeconds(2);
    /** How long a version's registry record is trusted before it is read again. */
    public static final Duration VERSION_TTL = Duration.ofSeconds(60);
    private static final String PREFIX = "mlflow-artifacts:/";

    private final RegistryStore registry;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final RandomGenerator random;
    private final Map<String, Cached<RegisteredModel>> models = new ConcurrentHashMap<>();
    private final Map<String, Cached<ModelVersion>> versions = new ConcurrentHashMap<>();
    private final Map<String, ServingManifest> manifests = new ConcurrentHashMap<>();

    public RegistryModelResolver(RegistryStore registry, ArtifactStore artifacts, Clock clock, RandomGenerator random) {
        this.registry = registry;
        this.artifacts = artifacts;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public ResolvedModel resolve(ModelReference reference, Optional<String> routingKey) {
        RegisteredModel model = model(reference.name());
        long number = version(model, reference.selector(), routingKey);
        ModelVersion version = version(model.name(), number);
        if (!version.isReady()) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "Version " + number + " of model '" + model.name()
                    + "' is " + version.status() + " and is not served" + (version.statusMessage().isEmpty() ? ""
                    : ": " + version.statusMessage()));
        }
        if (!version.serving().servable()) {
            throw CapstanException.invalidParameter("Version " + number + " of model '" + model.name()
                    + "' cannot be served: " + version.serving().reason());
        }
        String sha256 = version.provenance().modelSha256();
        String folder = version.storageLocation().substring(PREFIX.length());
        ServingManifest manifest = manifests.computeIfAbsent(folder, f -> manifest(f, version));
        return new ResolvedModel(model.name(), Long.toString(number), sha256, manifest,
                () -> read(folder + "/" + manifest.modelFile()),
                () -> RegisteredCopy.profile(version, Optional.of(manifest),
                        readIfPresent(folder + "/" + DatasetProfile.FILE_NAME)),
                "true".equalsIgnoreCase(model.tags().getOrDefault(PredictionKeys.RECORD_INPUTS_TAG, "").trim()));
    }

    /**
     * The version's {@code serving.json}, checked against the digest the registry recorded; for a version registered
     * before manifests existed, a {@code CAPSTAN} manifest from its card.
     */
    private ServingManifest manifest(String folder, ModelVersion version) {
        return RegisteredCopy.manifest(version, readIfPresent(folder + "/" + ServingManifest.FILE_NAME))
                .orElseGet(() -> ResolvedModel.legacyManifest(ModelCard.fromJson(read(folder + "/"
                        + ModelCard.FILE_NAME)), version.provenance().modelSha256()));
    }

    /** Every model's champion: what a SnapStart snapshot should have loaded. */
    @Override
    public List<ModelReference> hotModels() {
        return registry.models().stream().filter(m -> m.alias(ModelSelector.CHAMPION).isPresent())
                .map(m -> new ModelReference(m.name(), new ModelSelector.Champion())).toList();
    }

    private long version(RegisteredModel model, ModelSelector selector, Optional<String> routingKey) {
        if (selector instanceof ModelSelector.Version pinned) {
            return pinned.version();
        }
        String alias;
        if (selector instanceof ModelSelector.Alias named) {
            alias = named.alias();
        } else if (model.traffic().isPresent()) {
            ModelSelector target = ModelSelector.parseTarget(model.traffic().get().route(routingKey, random));
            if (target instanceof ModelSelector.Version pinned) {
                return pinned.version();
            }
            alias = ((ModelSelector.Alias) target).alias();
        } else {
            alias = ModelSelector.CHAMPION;
        }
        return model.alias(alias).orElseThrow(() -> CapstanException.notFound("Model '" + model.name() + "' has no"
                + " alias '" + alias + "'" + (alias.equals(ModelSelector.CHAMPION) ? ": promote a version to champion"
                + " first (POST /api/2.0/capstan/registry/promote)" : "") + "."));
    }

    private RegisteredModel model(String name) {
        Cached<RegisteredModel> cached = models.get(name);
        if (cached != null && cached.fresh(clock, MODEL_TTL)) {
            return cached.value();
        }
        RegisteredModel model = registry.model(name).map(Revision::value).orElseThrow(() -> CapstanException.notFound(
                "Registered Model with name=" + name + " not found"));
        models.put(name, new Cached<>(model, clock.millis()));
        return model;
    }

    private ModelVersion version(String name, long number) {
        String key = name + "@" + number;
        Cached<ModelVersion> cached = versions.get(key);
        if (cached != null && cached.fresh(clock, VERSION_TTL)) {
            return cached.value();
        }
        ModelVersion version = registry.version(name, number).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Model Version (name=" + name + ", version=" + number + ") not found"));
        versions.put(key, new Cached<>(version, clock.millis()));
        return version;
    }

    private Optional<byte[]> readIfPresent(String key) {
        Optional<ArtifactStore.ArtifactContent> content = artifacts.get(key);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = content.get().stream()) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key, e);
        }
    }

    private byte[] read(String key) {
        return readIfPresent(key).orElseThrow(() -> CapstanException.notFound("The registry's copy '" + key
                + "' is gone"));
    }

    private record Cached<T>(T value, long loadedAt) {
        boolean fresh(Clock clock, Duration ttl) {
            return clock.millis() - loadedAt < ttl.toMillis();
        }
    }
}
