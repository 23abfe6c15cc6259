package io.capstan.registry;

import java.util.Objects;

/**
 * One change — or refused attempt to change — which version a registered model serves: an alias set, moved or
 * deleted, a stage transition, a traffic policy, a rollback. Written in the same transaction as the change, so
 * the trail and the model never disagree.
 *
 * @param modelName   the registered model
 * @param timestamp   epoch milliseconds
 * @param actor       the caller's identity (IAM ARN, token subject, {@code local})
 * @param action      what was done
 * @param subject     the alias, the stage or the policy text
 * @param fromVersion the version before the change, null when none
 * @param toVersion   the version after the change, null when none
 * @param reason      the reason the caller gave, empty when none
 * @param applied     false when the change was refused (it lost a race); the trail records that too
 * @param detail      what else happened (versions archived, why it was refused), empty when nothing
 */
public record AuditEvent(String modelName, long timestamp, String actor, AuditAction action, String subject,
                         Long fromVersion, Long toVersion, String reason, boolean applied, String detail) {
    public AuditEvent {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(action, "action");
        actor = actor == null ? "unknown" : actor;
        subject = subject == null ? "" : subject;
        reason = reason == null ? "" : reason;
        detail = detail == null ? "" : detail;
    }

    /** What an audit event records. */
    public enum AuditAction {
        SET_ALIAS, DELETE_ALIAS, ROLLBACK, TRANSITION_STAGE, SET_TRAFFIC_POLICY, CLEAR_TRAFFIC_POLICY
    }
}
