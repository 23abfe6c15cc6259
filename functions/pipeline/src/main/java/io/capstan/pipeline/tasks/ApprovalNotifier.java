package io.capstan.pipeline.tasks;

/**
 * Tells people that an execution waits for their approval. In AWS the tasks function publishes to the pipeline's
 * notification topic ({@code io.capstan.pipeline.notification.SnsApprovalNotifier}); the embedded platform records
 * nothing beyond the pending approval itself ({@link #NONE}).
 */
@FunctionalInterface
public interface ApprovalNotifier {
    /** Sends nothing: where no topic is deployed. */
    ApprovalNotifier NONE = (subject, message) -> {
    };

    /**
     * Sends one notification.
     *
     * @param subject at most 100 printable ASCII characters (an SNS subject)
     * @param message what is awaited and how to answer it
     * @throws RuntimeException when the notification cannot be sent; the approval task then fails, so the
     *                          execution does not wait for an answer nobody was asked for
     */
    void approvalAwaited(String subject, String message);
}
