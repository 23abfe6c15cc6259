package io.capstan.store.s3;

import io.capstan.testing.S3ProxyFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link S3ArtifactStore} against S3Proxy in-process, keeping objects on the filesystem. */
class S3ArtifactStoreTest extends S3ArtifactStoreContract {

    @TempDir
    static Path blobs;
    private static S3ProxyFixture s3Proxy;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        s3Proxy = S3ProxyFixture.filesystem(blobs);
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        s3Proxy.close();
    }

    @Override
    protected S3Client s3() {
        return s3Proxy.client();
    }

    @Override
    protected S3Presigner presigner() {
        return s3Proxy.presigner();
    }
}
