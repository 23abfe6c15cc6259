package io.capstan.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.testing.S3ProxyFixture;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

class S3BucketBootstrapTest {

    @Test
    void createIfMissing_calledTwice_createsBucketOnce() throws Exception {
        try (S3ProxyFixture s3Proxy = S3ProxyFixture.transientStore()) {
            S3BucketBootstrap.createIfMissing(s3Proxy.client(), "capstan-artifacts");

            S3BucketBootstrap.createIfMissing(s3Proxy.client(), "capstan-artifacts");

            assertThat(s3Proxy.client().listBuckets().buckets()).extracting(Bucket::name)
                    .containsExactly("capstan-artifacts");
        }
    }

    @Test
    void createIfMissing_s3Unreachable_isRetryableUnavailable() {
        try (S3Client unreachable = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {

            assertThatThrownBy(() -> S3BucketBootstrap.createIfMissing(unreachable, "b"))
                    .isInstanceOfSatisfying(CapstanException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
                        assertThat(e.retryable()).isTrue();
                    });
        }
    }
}
