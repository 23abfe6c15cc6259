package io.capstan.pipeline.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.pipeline.notification.SnsApprovalNotifier;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/** The deployment facts the tasks function reads from the environment the CDK pipeline stack sets. */
class PipelineWiringTest {

    @Test
    void batchMaxGpus_setByTheStack_isTheLimit() {
        assertThat(PipelineWiring.batchMaxGpus(Map.of(PipelineWiring.BATCH_MAX_GPUS_ENV, "4"))).isEqualTo(4);
    }

    @Test
    void batchMaxGpus_missingOrNotANumber_failsNamingTheVariable() {
        assertThatThrownBy(() -> PipelineWiring.batchMaxGpus(Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(PipelineWiring.BATCH_MAX_GPUS_ENV);
        assertThatThrownBy(() -> PipelineWiring.batchMaxGpus(Map.of(PipelineWiring.BATCH_MAX_GPUS_ENV, "four")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'four'");
    }

    @Test
    void approvalNotifier_topicSet_publishesThereAndMissing_failsNamingTheVariable() {
        SnsClient sns = SnsClient.builder().region(Region.EU_WEST_1).httpClient(UrlConnectionHttpClient.create())
                .build();

        assertThat(PipelineWiring.approvalNotifier(Map.of(PipelineWiring.NOTIFICATION_TOPIC_ENV,
                "arn:aws:sns:eu-west-1:123456789012:t"), sns)).isInstanceOf(SnsApprovalNotifier.class);
        assertThatThrownBy(() -> PipelineWiring.approvalNotifier(Map.of(), sns))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(PipelineWiring.NOTIFICATION_TOPIC_ENV);
        sns.close();
    }
}
