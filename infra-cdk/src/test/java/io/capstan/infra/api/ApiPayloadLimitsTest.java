package io.capstan.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The MLflow client settings the deployment documents keep every single upload within a Lambda payload. */
class ApiPayloadLimitsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path DEPLOY = Path.of("..", "docs", "DEPLOY.md");

    @Test
    void largestSingleUpload_belowTheDocumentedThreshold_fitsALambdaPayloadOnceBase64Encoded() {
        long largestSinglePut = ApiPayloadLimits.MLFLOW_MULTIPART_MINIMUM_FILE_SIZE - 1;

        assertThat(ApiPayloadLimits.eventBytes(largestSinglePut))
                .isLessThanOrEqualTo(ApiPayloadLimits.LAMBDA_PAYLOAD_BYTES);
        assertThat(ApiPayloadLimits.eventBytes(largestSinglePut) - ApiPayloadLimits.EVENT_ENVELOPE_BYTES)
                .isEqualTo(Base64.getEncoder().encode(new byte[(int) largestSinglePut]).length);
    }

    @Test
    void thresholdOfS3sPartSizeOrMlflowsDefault_wouldLetSingleUploadsExceedTheLambdaPayload() {
        // why the threshold is 4 MiB and not 5 MiB (S3's part size) or 500 MB (MLflow's default)
        assertThat(ApiPayloadLimits.eventBytes(ApiPayloadLimits.S3_MIN_PART_BYTES - 1))
                .isGreaterThan(ApiPayloadLimits.LAMBDA_PAYLOAD_BYTES);
        assertThat(ApiPayloadLimits.eventBytes(500L * 1024 * 1024 - 1))
                .isGreaterThan(ApiPayloadLimits.LAMBDA_PAYLOAD_BYTES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"README", "DEPLOY"})
    void docs_tellMlflowClientsTheMultipartSettingsThisClassHolds(String document) throws IOException {
        String text = document.equals("README") ? deployingSection() : Files.readString(DEPLOY);

        assertThat(text).contains(ApiPayloadLimits.MLFLOW_PROXY_MULTIPART_ENV + "=true")
                .contains(ApiPayloadLimits.MLFLOW_MULTIPART_MINIMUM_FILE_SIZE_ENV + "="
                        + ApiPayloadLimits.MLFLOW_MULTIPART_MINIMUM_FILE_SIZE);
        assertThat(text.replaceAll("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=(\\d+)", "")).doesNotContainPattern(
                "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=\\S");
    }

    @Test
    void deployDoc_chunkSizeItSuggests_isAtLeastS3sPartSize() throws IOException {
        Matcher chunk = Pattern.compile(
                ApiPayloadLimits.MLFLOW_MULTIPART_CHUNK_SIZE_ENV + "=(\\d+)").matcher(Files.readString(DEPLOY));

        while (chunk.find()) {
            assertThat(Long.parseLong(chunk.group(1))).isGreaterThanOrEqualTo(ApiPayloadLimits.S3_MIN_PART_BYTES);
        }
    }

    /** README.md's "Deploying to AWS" section: up to the next second-level heading. */
    private static String deployingSection() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("## Deploying to AWS");
        assertThat(start).as("README.md has a Deploying to AWS section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
