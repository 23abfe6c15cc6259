package io.capstan.drift.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the CloudWatch alarms read: the embedded-metric-format documents Powertools prints in Lambda (surefire sets
 * {@code AWS_LAMBDA_FUNCTION_NAME} for this module, so the EMF library writes to standard output as in Lambda).
 */
class PowertoolsDriftMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void publish_oneDocumentPerDimensionSet_exactlyThatDimension() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            new PowertoolsDriftMetrics().publish(new DriftSummary("churn", "20261122T100000Z-abcdef", 1L, "schedule",
                    "sketch", "3", true, 0.6, null, 569, 2000, "s3://c/r.json", "s3://c/r.html", "no action"));
        } finally {
            System.setOut(stdout);
        }
        List<JsonNode> documents = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"_aws\"")) {
                documents.add(JSON.readTree(line));
            }
        }

        assertThat(documents).hasSize(2);
        assertThat(documents).extracting(d -> d.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .containsExactly("[[\"" + DriftMetrics.MODEL_DIMENSION + "\"]]",
                        "[[\"" + DriftMetrics.SERVICE_DIMENSION + "\"]]");
        assertThat(documents).allSatisfy(d -> {
            assertThat(d.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo(DriftMetrics.NAMESPACE);
            assertThat(d.path(DriftMetrics.DATASET_DRIFT).asDouble()).isEqualTo(1.0);
            assertThat(d.path(DriftMetrics.DRIFTED_SHARE).asDouble()).isEqualTo(0.6);
        });
        assertThat(documents.get(0).path(DriftMetrics.MODEL_DIMENSION).asText()).isEqualTo("churn");
        assertThat(documents.get(1).path(DriftMetrics.SERVICE_DIMENSION).asText()).isEqualTo(DriftMetrics.SERVICE);
    }
}
