package io.capstan.pipeline;

import java.util.Objects;

/**
 * A pipeline execution waiting for a person to approve or reject promoting a version.
 *
 * @param modelName     the registered model
 * @param execution     the waiting execution's name
 * @param version       the candidate version
 * @param token         the Step Functions task token that resumes the execution
 * @param summary       what the gate found, for the approver
 * @param status        {@code PENDING}, {@code APPROVED} or {@code REJECTED}
 * @param decidedBy     who decided, empty while pending
 * @param reason        the approver's reason, empty when none
 */
public record ApprovalRequest(String modelName, String execution, long version, String token, String summary,
                              String status, String decidedBy, String reason) {
    public static final String PENDING = "PENDING";
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";

    public ApprovalRequest {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(token, "token");
        summary = summary == null ? "" : summary;
        Objects.requireNonNull(status, "status");
        decidedBy = decidedBy == null ? "" : decidedBy;
        reason = reason == null ? "" : reason;
    }

    public boolean pending() {
        return status.equals(PENDING);
    }

    public ApprovalRequest decided(boolean approved, String who, String why) {
        return new ApprovalRequest(modelName, execution, version, token, summary, approved ? APPROVED : REJECTED, who,
                why);
    }
}
