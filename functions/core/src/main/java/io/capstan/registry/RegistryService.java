package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import io.capstan.provenance.Provenance;
import io.capstan.tracking.TrackingLimits;
import io.capstan.tracking.search.Page;
import io.capstan.tracking.search.PageToken;
import io.capstan.tracking.search.RegistryFilters;
import io.capstan.tracking.search.RegistryOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * MLflow's model registry as plain Java: registered models and their versions, tags, search, and registration
 * through a {@link ModelRegistration} that copies and checks the model. Alias, stage and traffic changes, which
 * decide what is served, are {@link PromotionService}'s. Behaviour follows MLflow 2.12's SQL store.
 */
public final class RegistryService {
    public static final int DEFAULT_MODEL_SEARCH_RESULTS = 100;
    public static final int MAX_MODEL_SEARCH_RESULTS = 1000;
    public static final int DEFAULT_VERSION_SEARCH_RESULTS = 10_000;
    public static final int MAX_VERSION_SEARCH_RESULTS = 200_000;

    /** Sources of more bytes than this register outside the request when a {@link RegistrationQueue} is set. */
    public static final long DEFAULT_BACKGROUND_BYTES = 64L * 1024 * 1024;
    /**
     * A version still {@code PENDING_REGISTRATION} this long after its last change is taken for one whose registering
     * process was stopped (the longest a Lambda invocation runs is 15 minutes), and is failed when next read.
     */
    public static final Duration REGISTRATION_DEADLINE = Duration.ofMinutes(20);

    private final RegistryStore store;
    private final RegistryReads reads;
    private final ModelRegistration registration;
    private final Clock clock;
    private final RegistrationQueue background;
    private final long backgroundBytes;

    /** Registers every version inside the request that creates it. */
    public RegistryService(RegistryStore store, ModelRegistration registration, Clock clock) {
        this(store, registration, clock, null, Long.MAX_VALUE);
    }

    private RegistryService(RegistryStore store, ModelRegistration registration, Clock clock,
                            RegistrationQueue background, long backgroundBytes) {
        this.store = store;
        this.reads = new RegistryReads(store);
        this.registration = registration;
        this.clock = clock;
        this.background = background;
        this.backgroundBytes = backgroundBytes;
    }

    /**
     * This service, registering a source of more than {@code thresholdBytes} outside the request: the version is
     * answered {@code PENDING_REGISTRATION} at once and handed to {@code queue}, as MLflow's clients expect of a
     * registry (they poll the version until it is {@code READY}).
     */
    public RegistryService registeringInBackground(RegistrationQueue queue, long thresholdBytes) {
        if (thresholdBytes < 0) {
            throw new IllegalArgumentException("thresholdBytes must not be negative, got " + thresholdBytes);
        }
        return new RegistryService(store, registration, clock, Objects.requireNonNull(queue, "queue"),
                thresholdBytes);
    }

    // ---- registered models

    public RegisteredModel createRegisteredModel(String name, String description, Map<String, String> tags) {
        RegistryReads.checkName(name);
        RegistryLimits.checkDescription(description);
        tags.forEach(RegistryReads::checkTag);
        RegistryLimits.checkTagsSize("registered model '" + name + "'", tags);
        long now = clock.millis();
        RegisteredModel model = new RegisteredModel(name, now, now, description, tags, Map.of(), null);
        store.createModel(model);
        return model;
    }

    public RegisteredModel getRegisteredModel(String name) {
        return reads.model(name).value();
    }

    public RegisteredModel updateDescription(String name, String description) {
        RegistryLimits.checkDescription(description);
        return updateModel(name, m -> m.withDescription(description, clock.millis()));
    }

    public RegisteredModel rename(String name, String newName) {
        RegistryLimits.checkModelName("new_name", newName);
        return RegistryReads.retry("registered model " + name, () -> {
            Revision<RegisteredModel> current = reads.model(name);
            return store.rename(current, newName, clock.millis()) ? reads.model(newName).value() : null;
        });
    }

    public void deleteRegisteredModel(String name) {
        reads.model(name);
        store.deleteModel(name);
    }

    public void setModelTag(String name, String key, String value) {
        RegistryReads.checkTag(key, value);
        updateModel(name, m -> {
            Map<String, String> tags = new HashMap<>(m.tags());
            tags.put(key, value);
            RegistryLimits.checkTagsSize("registered model '" + name + "'", tags);
            return m.withTags(tags, clock.millis());
        });
    }

    /** Removes a tag; a tag that does not exist is not an error, as in MLflow. */
    public void deleteModelTag(String name, String key) {
        TrackingLimits.checkKey("tag", key);
        updateModel(name, m -> {
            Map<String, String> tags = new HashMap<>(m.tags());
            return tags.remove(key) == null ? m : m.withTags(tags, clock.millis());
        });
    }

    public Page<RegisteredModel> searchRegisteredModels(String filter, Integer maxResults, List<String> orderBy,
                                                        String pageToken) {
        int max = TrackingLimits.checkMaxResults(maxResults, DEFAULT_MODEL_SEARCH_RESULTS, MAX_MODEL_SEARCH_RESULTS);
        var matches = store.models().stream().filter(RegistryFilters.registeredModels(filter))
                .sorted(RegistryOrder.registeredModels(orderBy)).toList();
        return PageToken.page(matches, max, pageToken);
    }

    /**
     * The latest version in each of {@code stages}, or in every stage when none are given.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for an unknown stage
     */
    public List<ModelVersion> latestVersions(String name, List<String> stages) {
        reads.model(name);
        Set<Stage> wanted = stages == null || stages.isEmpty() ? Set.of(Stage.values())
                : Set.copyOf(stages.stream().map(Stage::parse).toList());
        Map<Stage, ModelVersion> latest = new EnumMap<>(Stage.class);
        for (Revision<ModelVersion> revision : store.versions(name)) {
            ModelVersion v = revision.value();
            if (wanted.contains(v.stage())) {
                latest.merge(v.stage(), v, (a, b) -> a.version() >= b.version() ? a : b);
            }
        }
        return latest.values().stream().sorted(Comparator.comparingLong(ModelVersion::version)).map(this::expireStuck)
                .toList();
    }

    // ---- model versions

    /**
     * Registers a new version: allocates its number, stores it as {@code PENDING_REGISTRATION}, copies and checks
     * the model, and stores the outcome ({@code READY}, or {@code FAILED_REGISTRATION} with the reason).
     */
    public ModelVersion createModelVersion(String name, String source, String runId, String runLink,
                                           Map<String, String> tags, String description, String userId) {
        return createModelVersion(name, source, runId, runLink, tags, description, userId, "");
    }

    /**
     * Registers a new version of an MLflow 3 logged model ({@code modelId}, empty for none), as
     * {@link #createModelVersion(String, String, String, String, Map, String, String)} does.
     */
    public ModelVersion createModelVersion(String name, String source, String runId, String runLink,
                                           Map<String, String> tags, String description, String userId,
                                           String modelId) {
        RegistryReads.checkName(name);
        if (source == null || source.isBlank()) {
            throw CapstanException.invalidParameter("Missing value for required parameter 'source'.");
        }
        // every check of the request before the version number is allocated: a refused request uses none
        FieldLimits.checkLength("source", source, RegistryLimits.MAX_SOURCE_LENGTH);
        FieldLimits.checkLength("run_id", runId, RegistryLimits.MAX_RUN_ID_LENGTH);
        FieldLimits.checkLength("run_link", runLink, RegistryLimits.MAX_RUN_LINK_LENGTH);
        RegistryLimits.checkDescription(description);
        TrackingLimits.checkModelId("model_id", modelId);
        tags.forEach(RegistryReads::checkTag);
        RegistryLimits.checkTagsSize("a version of registered model '" + name + "'", tags);
        reads.model(name);
        String sourceRunId = registration.admit(source, runId, modelId);
        long bytes = background == null ? 0 : registration.sourceBytes(source, sourceRunId);
        boolean inBackground = background != null && bytes > backgroundBytes;
        long number = store.allocateVersion(name);
        long now = clock.millis();
        String message = inBackground ? "Registering in the background: the source holds " + bytes + " bytes, more"
                + " than a request registers (" + backgroundBytes + "); the version turns READY or"
                + " FAILED_REGISTRATION when it is done." : "";
        ModelVersion pending = new ModelVersion(name, number, now, now, userId, Stage.NONE, description, source,
                sourceRunId, runLink, ModelVersionStatus.PENDING_REGISTRATION, message, tags, "", Provenance.UNKNOWN,
                modelId, null);
        store.createVersion(pending);
        if (!inBackground) {
            return register(pending);
        }
        try {
            background.submit(name, number);
        } catch (RuntimeException e) {
            finish(name, number, new ModelRegistration.Failed("Registration could not be started in the background ("
                    + e.getClass().getSimpleName() + "); register the model again."));
            throw e;
        }
        return pending;
    }

    /**
     * Registers a version left {@code PENDING_REGISTRATION} for the background ({@link RegistrationQueue}); a version
     * no longer pending (registered already, or failed) is answered as it is, so a repeated delivery changes nothing.
     */
    public ModelVersion completeRegistration(String name, long version) {
        ModelVersion current = reads.version(name, version).value();
        return current.status() == ModelVersionStatus.PENDING_REGISTRATION ? register(current) : current;
    }

    private ModelVersion register(ModelVersion pending) {
        ModelRegistration.Outcome outcome;
        try {
            outcome = registration.register(pending);
        } catch (RuntimeException e) {
            finish(pending.name(), pending.version(), new ModelRegistration.Failed("Registration could not finish ("
                    + e.getClass().getSimpleName() + "); register the model again."));
            throw e;
        }
        return finish(pending.name(), pending.version(), outcome);
    }

    /** {@code v}, or, when its registration has been pending past {@link #REGISTRATION_DEADLINE}, failed. */
    private ModelVersion expireStuck(ModelVersion v) {
        if (v.status() != ModelVersionStatus.PENDING_REGISTRATION
                || clock.millis() - v.lastUpdatedTimestamp() < REGISTRATION_DEADLINE.toMillis()) {
            return v;
        }
        return finish(v.name(), v.version(), new ModelRegistration.Failed("Registration did not finish within "
                + REGISTRATION_DEADLINE.toMinutes() + " minutes: the process registering the version stopped."
                + " Register the model again."));
    }

    public ModelVersion getModelVersion(String name, String version) {
        return expireStuck(reads.version(name, RegistryReads.parseVersion(version)).value());
    }

    public ModelVersion updateVersionDescription(String name, String version, String description) {
        RegistryLimits.checkDescription(description);
        return updateVersion(name, RegistryReads.parseVersion(version), v -> v.withDescription(description,
                clock.millis()));
    }

    public void setVersionTag(String name, String version, String key, String value) {
        RegistryReads.checkTag(key, value);
        updateVersion(name, RegistryReads.parseVersion(version), v -> {
            Map<String, String> tags = new HashMap<>(v.tags());
            tags.put(key, value);
            RegistryLimits.checkTagsSize("version " + version + " of registered model '" + name + "'", tags);
            return v.withTags(tags, clock.millis());
        });
    }

    /** Removes a tag; a tag that does not exist is not an error, as in MLflow. */
    public void deleteVersionTag(String name, String version, String key) {
        TrackingLimits.checkKey("tag", key);
        updateVersion(name, RegistryReads.parseVersion(version), v -> {
            Map<String, String> tags = new HashMap<>(v.tags());
            return tags.remove(key) == null ? v : v.withTags(tags, clock.millis());
        });
    }

    /** Where the registry's copy of the version is, for clients that download it. */
    public String downloadUri(String name, String version) {
        ModelVersion v = getModelVersion(name, version);
        return v.storageLocation().isEmpty() ? v.source() : v.storageLocation();
    }

    public Page<ModelVersion> searchModelVersions(String filter, Integer maxResults, List<String> orderBy,
                                                  String pageToken) {
        int max = TrackingLimits.checkMaxResults(maxResults, DEFAULT_VERSION_SEARCH_RESULTS,
                MAX_VERSION_SEARCH_RESULTS);
        var matches = new ArrayList<ModelVersion>();
        var predicate = RegistryFilters.modelVersions(filter);
        // name = 'x' (the clients' usual filter) reads that model's versions only, run_id = 'x' that run's
        Optional<String> oneModel = RegistryFilters.modelVersionsOfOneModel(filter);
        Optional<String> oneRun = RegistryFilters.modelVersionsOfOneRun(filter);
        List<Revision<ModelVersion>> candidates = new ArrayList<>();
        if (oneModel.isPresent()) {
            candidates.addAll(store.versions(oneModel.get()));
        } else if (oneRun.isPresent()) {
            candidates.addAll(store.versionsOfRun(oneRun.get()));
        } else {
            store.models().forEach(model -> candidates.addAll(store.versions(model.name())));
        }
        candidates.stream().map(Revision::value).map(this::expireStuck).filter(predicate).forEach(matches::add);
        matches.sort(RegistryOrder.modelVersions(orderBy));
        return PageToken.page(matches, max, pageToken);
    }

    /** The aliases pointing at a version, sorted. */
    public List<String> aliasesOf(RegisteredModel model, long version) {
        return model.aliases().entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey)
                .sorted().toList();
    }

    /** Records what registration concluded, unless the version is no longer pending (a repeated or late finish). */
    private ModelVersion finish(String name, long version, ModelRegistration.Outcome outcome) {
        return updateVersion(name, version, v -> {
            if (v.status() != ModelVersionStatus.PENDING_REGISTRATION) {
                return v;
            }
            if (outcome instanceof ModelRegistration.Registered r) {
                return v.registered(ModelVersionStatus.READY, "", r.storageLocation(), r.provenance(), r.serving(),
                        clock.millis());
            }
            String reason = ((ModelRegistration.Failed) outcome).reason();
            return v.registered(ModelVersionStatus.FAILED_REGISTRATION, reason, "", Provenance.UNKNOWN,
                    Servability.notServable("registration failed: " + reason), clock.millis());
        });
    }

    private RegisteredModel updateModel(String name, UnaryOperator<RegisteredModel> change) {
        return RegistryReads.retry("registered model " + name, () -> {
            Revision<RegisteredModel> current = reads.model(name);
            RegisteredModel changed = change.apply(current.value());
            if (changed.equals(current.value())) {
                return changed;
            }
            return store.commit(RegistryChange.ofModel(new Revision<>(changed, current.revision()))) ? changed : null;
        });
    }

    private ModelVersion updateVersion(String name, long version, UnaryOperator<ModelVersion> change) {
        return RegistryReads.retry("model version " + name + "/" + version, () -> {
            Revision<ModelVersion> current = reads.version(name, version);
            ModelVersion changed = change.apply(current.value());
            if (changed.equals(current.value())) {
                return changed;
            }
            return store.commit(RegistryChange.ofVersion(new Revision<>(changed, current.revision()))) ? changed : null;
        });
    }
}
