package io.capstan.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * What the pipeline keeps beside the state machine: which dataset uploads already started an execution, approvals
 * waiting for a person, and — on the embedded platform, where no Step Functions service keeps them — executions
 * and their histories. Safe for concurrent use by many processes.
 */
public interface PipelineStore {

    /**
     * Records that an upload (one object version) starts an execution.
     *
     * @return false when that object version was claimed before: it must not start a second execution
     */
    boolean claimUpload(UploadClaim claim);

    /**
     * Gives a claim up, when its execution could not be started, so that a retried event can claim the version
     * again. Removes the claim only while it is still this one (the same {@link UploadClaim#claimId}).
     *
     * @return false when the version holds no claim, or another caller's
     */
    boolean releaseUpload(UploadClaim claim);

    /** Stores an approval request; an earlier one of the same execution is replaced. */
    void putApproval(ApprovalRequest request);

    Optional<ApprovalRequest> approval(String modelName, String execution);

    /**
     * Records a decision on a pending request.
     *
     * @return false when the request was no longer pending (somebody decided first)
     */
    boolean decideApproval(ApprovalRequest decided);

    /** Stores a new execution, or replaces its state. */
    void putExecution(PipelineExecution execution);

    Optional<PipelineExecution> execution(String modelName, String name);

    /** The model's executions, newest first. */
    List<PipelineExecution> executions(String modelName);

    /** Appends to an execution's history. */
    void appendEvents(String modelName, String execution, List<ExecutionEvent> events);

    /** An execution's history, oldest first. */
    List<ExecutionEvent> history(String modelName, String execution);
}
