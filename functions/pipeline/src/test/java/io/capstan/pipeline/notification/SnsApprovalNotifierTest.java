package io.capstan.pipeline.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SnsException;

class SnsApprovalNotifierTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:CapstanPipeline-Notifications";

    @Test
    void approvalAwaited_publishesSubjectAndMessageToTheTopic() {
        RecordingSns sns = new RecordingSns();

        new SnsApprovalNotifier(sns, TOPIC).approvalAwaited("Capstan: churn v3 awaits approval", "approve it");

        assertThat(sns.published).singleElement().satisfies(request -> {
            assertThat(request.topicArn()).isEqualTo(TOPIC);
            assertThat(request.subject()).isEqualTo("Capstan: churn v3 awaits approval");
            assertThat(request.message()).isEqualTo("approve it");
        });
    }

    @Test
    void approvalAwaited_publishFails_throws() {
        RecordingSns sns = new RecordingSns();
        sns.failure = (SnsException) SnsException.builder().message("AuthorizationError").build();

        assertThatThrownBy(() -> new SnsApprovalNotifier(sns, TOPIC).approvalAwaited("s", "m"))
                .isInstanceOf(SnsException.class).hasMessageContaining("AuthorizationError");
    }

    private static final class RecordingSns implements SnsClient {
        final List<PublishRequest> published = new ArrayList<>();
        SnsException failure;

        @Override
        public PublishResponse publish(PublishRequest request) {
            if (failure != null) {
                throw failure;
            }
            published.add(request);
            return PublishResponse.builder().messageId("m-1").build();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
        }
    }
}
