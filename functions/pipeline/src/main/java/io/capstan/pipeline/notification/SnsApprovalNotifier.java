package io.capstan.pipeline.notification;

import io.capstan.pipeline.tasks.ApprovalNotifier;
import java.util.Objects;
import software.amazon.awssdk.services.sns.SnsClient;

/** Publishes approval requests to the pipeline's SNS notification topic, where its outcomes go too. */
public final class SnsApprovalNotifier implements ApprovalNotifier {
    private final SnsClient sns;
    private final String topicArn;

    /**
     * @param sns      the client (its own retries cover throttling and brief outages)
     * @param topicArn the notification topic, {@code CAPSTAN_NOTIFICATION_TOPIC_ARN}
     */
    public SnsApprovalNotifier(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
    }

    @Override
    public void approvalAwaited(String subject, String message) {
        sns.publish(b -> b.topicArn(topicArn).subject(subject).message(message));
    }
}
