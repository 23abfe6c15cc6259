package io.capstan.testing;

import io.capstan.testing.S3ProxyFixture;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A transient S3Proxy for a test class and a new, empty bucket for each of its tests, created before the test's
 * {@code @BeforeEach} methods run. Register it as a static {@code @RegisterExtension} field.
 */
public final class S3ProxyBuckets implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    private final String prefix;
    private S3ProxyFixture s3;
    private String bucket;

    /** @param prefix the buckets' names start with it, then a dash and 8 random hex digits */
    public S3ProxyBuckets(String prefix) {
        this.prefix = prefix;
    }

    /** {@code prefix}, a dash and 8 random hex digits: a name no bucket has yet. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        s3 = S3ProxyFixture.transientStore();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        bucket = uniqueName(prefix);
        s3.client().createBucket(b -> b.bucket(bucket));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        s3.close();
    }

    public S3Client client() {
        return s3.client();
    }

    public S3Presigner presigner() {
        return s3.presigner();
    }

    /** The current test's bucket. */
    public String bucket() {
        return bucket;
    }

    /** The current test bucket's objects under {@code prefix}, in key order. */
    public List<S3Object> objects(String prefix) {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
    }
}
