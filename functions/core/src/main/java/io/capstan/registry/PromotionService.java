package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.registry.AuditEvent.AuditAction;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything that decides which version of a model is served: aliases (MLflow's set/delete alias and Capstan's
 * compare-and-set promotion), legacy stage transitions, rollback to the previous champion, the traffic policy,
 * and deleting versions. Each change is committed together with its audit event; a change that lost a race to a
 * concurrent one is refused with {@code RESOURCE_CONFLICT} (409), and the refusal is recorded too.
 */
public final class PromotionService {

    /** In an expected value: the alias is not set. Versions start at 1, so 0 never names one. */
    public static final long NONE = 0;

    private final RegistryStore store;
    private final RegistryReads reads;
    private final Clock clock;

    public PromotionService(RegistryStore store, Clock clock) {
        this.store = store;
        this.reads = new RegistryReads(store);
        this.clock = clock;
    }

    /**
     * Points {@code alias} at {@code version}. With {@code expected} empty, the change is checked against the value
     * the alias had when the request began: if another change moves the alias meanwhile, this one is refused.
     *
     * @param expected the version the caller believes the alias points at now ({@code Optional.of(NONE)} for an
     *                 unset alias), or empty to take it as read
     * @throws CapstanException RESOURCE_CONFLICT when the alias does not point where expected;
     *                          INVALID_PARAMETER_VALUE for a bad alias or a version that is not READY
     */
    public AuditEvent setAlias(String name, String alias, long version, Optional<Long> expected, String actor,
                               String reason) {
        ModelSelector.checkAliasName(alias);
        RegistryLimits.checkReason(reason);
        ModelVersion target = reads.version(name, version).value();
        if (!target.isReady()) {
            throw CapstanException.invalidParameter("Version " + version + " of model '" + name + "' is "
                    + target.status() + (target.statusMessage().isEmpty() ? "" : " (" + target.statusMessage() + ")")
                    + "; only a READY version can take an alias.");
        }
        return moveAlias(name, alias, version, expected, AuditAction.SET_ALIAS, actor, reason, "");
    }

    /**
     * Capstan's promotion: points a serving alias at a version the predict function can serve. As
     * {@link #setAlias}, and also refuses a version that is not servable, naming the reason; MLflow's own alias
     * API keeps MLflow's semantics and takes any version.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for a version Capstan cannot serve
     */
    public AuditEvent promote(String name, String alias, long version, Optional<Long> expected, String actor,
                              String reason) {
        ModelSelector.checkAliasName(alias);
        RegistryLimits.checkReason(reason);
        requireServable(name, reads.version(name, version).value(), "take alias '" + alias + "'");
        return setAlias(name, alias, version, expected, actor, reason);
    }

    /** Removes an alias; removing one that is not set is not an error, as in MLflow. */
    public void deleteAlias(String name, String alias, String actor, String reason) {
        ModelSelector.checkAliasName(alias);
        RegistryLimits.checkReason(reason);
        if (reads.model(name).value().alias(alias).isPresent()) {
            moveAlias(name, alias, null, Optional.empty(), AuditAction.DELETE_ALIAS, actor, reason, "");
        }
    }

    /** The version an alias points at; an unknown alias is MLflow's 400 {@code INVALID_PARAMETER_VALUE}. */
    public ModelVersion versionByAlias(String name, String alias) {
        ModelSelector.checkAliasName(alias);
        long version = reads.model(name).value().alias(alias).orElseThrow(() -> CapstanException.invalidParameter(
                "Registered model alias " + alias + " not found."));
        return reads.version(name, version).value();
    }

    /**
     * Points {@code alias} back at the version it pointed at before its latest change, as the audit trail records
     * it; repeated rollbacks walk further back. Versions deleted since, or that Capstan cannot serve, are skipped.
     *
     * @throws CapstanException INVALID_STATE when there is no earlier version to go back to
     */
    public AuditEvent rollback(String name, String alias, String actor, String reason) {
        ModelSelector.checkAliasName(alias);
        RegistryLimits.checkReason(reason);
        RegisteredModel model = reads.model(name).value();
        Long current = model.aliases().get(alias);
        Deque<Long> previous = previousVersions(name, alias);
        while (!previous.isEmpty()) {
            long candidate = previous.pop();
            Optional<Revision<ModelVersion>> version = store.version(name, candidate);
            if (version.isPresent() && version.get().value().isServable() && !Objects.equals(candidate, current)) {
                return moveAlias(name, alias, candidate, Optional.of(current == null ? NONE : current),
                        AuditAction.ROLLBACK, actor, reason, "");
            }
        }
        throw new CapstanException(ErrorCode.INVALID_STATE, "Alias '" + alias + "' of model '" + name
                + "' has no earlier version to roll back to.");
    }

    /**
     * Moves a version to a stage; with {@code archiveExisting}, the other versions in that stage move to Archived.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for an unknown stage or archiving outside Staging/Production
     */
    public ModelVersion transitionStage(String name, long version, String stageName, boolean archiveExisting,
                                        String actor, String reason) {
        Stage stage = Stage.parse(stageName);
        RegistryLimits.checkReason(reason);
        if (archiveExisting && stage != Stage.STAGING && stage != Stage.PRODUCTION) {
            throw CapstanException.invalidParameter("Model version transition cannot archive existing model versions"
                    + " because '" + stage.wireName() + "' is not an Active stage. Valid stages are [Staging,"
                    + " Production]");
        }
        return RegistryReads.retry("model " + name, () -> {
            Revision<RegisteredModel> model = reads.model(name);
            Revision<ModelVersion> target = reads.version(name, version);
            long now = clock.millis();
            List<Revision<ModelVersion>> changes = new ArrayList<>();
            List<Long> archived = new ArrayList<>();
            if (archiveExisting) {
                for (Revision<ModelVersion> other : store.versions(name)) {
                    if (other.value().version() != version && other.value().stage() == stage) {
                        changes.add(new Revision<>(other.value().withStage(Stage.ARCHIVED, now), other.revision()));
                        archived.add(other.value().version());
                    }
                }
            }
            ModelVersion moved = target.value().withStage(stage, now);
            changes.add(new Revision<>(moved, target.revision()));
            Long from = archived.isEmpty() ? null : archived.get(archived.size() - 1);
            AuditEvent event = new AuditEvent(name, now, actor, AuditAction.TRANSITION_STAGE, stage.wireName(), from,
                    version, reason, true, archived.isEmpty() ? "from " + target.value().stage().wireName()
                    : "archived versions " + archived.stream().map(String::valueOf).collect(Collectors.joining(", ")));
            RegisteredModel touched = model.value().withAliases(model.value().aliases(), now);
            return store.commit(new RegistryChange(new Revision<>(touched, model.revision()), changes, List.of(event)))
                    ? moved : null;
        });
    }

    /**
     * Sets the traffic policy; every target must be an alias that is set or a version, and serve a version Capstan
     * can serve.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming a target that cannot be served
     */
    public AuditEvent setTrafficPolicy(String name, TrafficPolicy policy, String actor, String reason) {
        RegistryLimits.checkReason(reason);
        return RegistryReads.retry("model " + name, () -> {
            Revision<RegisteredModel> model = reads.model(name);
            for (String target : policy.targets()) {
                long version = resolveTarget(name, model.value(), target);
                requireServable(name, reads.version(name, version).value(), "take traffic as '" + target + "'");
            }
            long now = clock.millis();
            AuditEvent event = new AuditEvent(name, now, actor, AuditAction.SET_TRAFFIC_POLICY, policy.toString(),
                    null, null, reason, true, previousPolicy(model.value()));
            RegisteredModel changed = model.value().withTrafficPolicy(policy, now);
            return store.commit(RegistryChange.ofModel(new Revision<>(changed, model.revision()), event)) ? event : null;
        });
    }

    /** Removes the traffic policy: the model serves its champion alone again. */
    public void clearTrafficPolicy(String name, String actor, String reason) {
        RegistryLimits.checkReason(reason);
        RegistryReads.retry("model " + name, () -> {
            Revision<RegisteredModel> model = reads.model(name);
            if (model.value().traffic().isEmpty()) {
                return Boolean.TRUE;
            }
            long now = clock.millis();
            AuditEvent event = new AuditEvent(name, now, actor, AuditAction.CLEAR_TRAFFIC_POLICY, "", null, null,
                    reason, true, previousPolicy(model.value()));
            RegisteredModel changed = model.value().withTrafficPolicy(null, now);
            return store.commit(RegistryChange.ofModel(new Revision<>(changed, model.revision()), event))
                    ? Boolean.TRUE : null;
        });
    }

    /**
     * Deletes a version and the aliases pointing at it (each removal audited), as MLflow does.
     *
     * @throws CapstanException INVALID_STATE when the traffic policy routes to the version by number
     */
    public void deleteVersion(String name, long version, String actor) {
        RegistryReads.retry("model " + name, () -> {
            Revision<RegisteredModel> model = reads.model(name);
            reads.version(name, version);
            if (model.value().traffic().map(p -> p.targets().contains("v" + version)).orElse(false)) {
                throw new CapstanException(ErrorCode.INVALID_STATE, "Version " + version + " of model '" + name
                        + "' is in its traffic policy; change the policy before deleting the version.");
            }
            long now = clock.millis();
            Map<String, Long> aliases = new HashMap<>(model.value().aliases());
            List<AuditEvent> events = new ArrayList<>();
            model.value().aliases().forEach((alias, v) -> {
                if (v == version) {
                    aliases.remove(alias);
                    events.add(new AuditEvent(name, now, actor, AuditAction.DELETE_ALIAS, alias, version, null, "",
                            true, "version " + version + " deleted"));
                }
            });
            if (!events.isEmpty() && !store.commit(new RegistryChange(
                    new Revision<>(model.value().withAliases(aliases, now), model.revision()), List.of(), events))) {
                return null;
            }
            store.deleteVersion(name, version);
            return Boolean.TRUE;
        });
    }

    /** The audit trail, oldest first. */
    public List<AuditEvent> auditTrail(String name) {
        reads.model(name);
        return store.auditTrail(name);
    }

    private static void requireServable(String name, ModelVersion version, String what) {
        if (!version.isServable()) {
            throw CapstanException.invalidParameter("Version " + version.version() + " of model '" + name
                    + "' cannot " + what + ": " + (version.isReady() ? version.serving().reason()
                    : "it is " + version.status() + (version.statusMessage().isEmpty() ? ""
                    : " (" + version.statusMessage() + ")")) + ".");
        }
    }

    /** The version a policy target resolves to now. */
    static long resolveTarget(String name, RegisteredModel model, String target) {
        ModelSelector selector = ModelSelector.parseTarget(target);
        if (selector instanceof ModelSelector.Alias a) {
            return model.alias(a.alias()).orElseThrow(() -> CapstanException.invalidParameter("Traffic policy target '"
                    + target + "': model '" + name + "' has no alias '" + a.alias() + "'."));
        }
        return ((ModelSelector.Version) selector).version();
    }

    private AuditEvent moveAlias(String name, String alias, Long version, Optional<Long> expected, AuditAction action,
                                 String actor, String reason, String detail) {
        Long asRead = expected.isPresent() ? (expected.get() == NONE ? null : expected.get())
                : reads.model(name).value().aliases().get(alias);
        return RegistryReads.retry("model " + name, () -> {
            Revision<RegisteredModel> model = reads.model(name);
            Long current = model.value().aliases().get(alias);
            long now = clock.millis();
            if (!Objects.equals(current, asRead)) {
                store.appendAudit(new AuditEvent(name, now, actor, action, alias, asRead, version, reason, false,
                        "refused: the alias points at " + describe(current)));
                throw CapstanException.conflict("Alias '" + alias + "' of model '" + name + "' now points at "
                        + describe(current) + ", not " + describe(asRead) + " as this change expected: another"
                        + " change came first. Re-read the model and decide again.");
            }
            Map<String, Long> aliases = new HashMap<>(model.value().aliases());
            if (version == null) {
                aliases.remove(alias);
            } else {
                aliases.put(alias, version);
            }
            AuditEvent event = new AuditEvent(name, now, actor, action, alias, current, version, reason, true, detail);
            RegisteredModel changed = model.value().withAliases(aliases, now);
            return store.commit(RegistryChange.ofModel(new Revision<>(changed, model.revision()), event)) ? event : null;
        });
    }

    /** Earlier versions of an alias, most recent first, replayed from the audit trail. */
    private Deque<Long> previousVersions(String name, String alias) {
        Deque<Long> stack = new ArrayDeque<>();
        for (AuditEvent event : store.auditTrail(name)) {
            if (!event.applied() || !event.subject().equals(alias)) {
                continue;
            }
            if (event.action() == AuditAction.ROLLBACK) {
                if (!stack.isEmpty()) {
                    stack.pop();
                }
            } else if ((event.action() == AuditAction.SET_ALIAS || event.action() == AuditAction.DELETE_ALIAS)
                    && event.fromVersion() != null && !event.fromVersion().equals(event.toVersion())) {
                stack.push(event.fromVersion());
            }
        }
        return stack;
    }

    private static String previousPolicy(RegisteredModel model) {
        return model.traffic().map(p -> "replaced " + p).orElse("");
    }

    private static String describe(Long version) {
        return version == null ? "no version" : "version " + version;
    }
}
