package io.capstan.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

class EmbeddedS3Test {
    private static final String BUCKET = "capture";

    @TempDir
    Path directory;

    /**
     * An object S3Proxy's file store is still writing lies in the bucket's folder under {@code <key>-<UUID>} (as
     * S3Proxy 4.1 names it); S3 would not list it, and neither does the platform.
     */
    @Test
    void listObjects_objectStillBeingWritten_listsOnlyFinishedObjects() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(directory)) {
            S3Client client = s3.client();
            client.createBucket(b -> b.bucket(BUCKET));
            client.putObject(b -> b.bucket(BUCKET).key("predictions/a.jsonl.gz"), RequestBody.fromString("a"));
            String uuidInside = "predictions/" + UUID.randomUUID() + ".jsonl.gz";
            client.putObject(b -> b.bucket(BUCKET).key(uuidInside), RequestBody.fromString("b"));
            Path writing = directory.resolve(BUCKET).resolve("predictions/b.jsonl.gz-" + UUID.randomUUID());
            Files.writeString(writing, "half an obj");

            ListObjectsV2Response v2 = client.listObjectsV2(b -> b.bucket(BUCKET).prefix("predictions/"));
            var v1 = client.listObjects(b -> b.bucket(BUCKET).prefix("predictions/"));

            assertThat(Files.exists(writing)).isTrue();
            assertThat(v2.contents()).extracting(S3Object::key)
                    .containsExactlyInAnyOrder("predictions/a.jsonl.gz", uuidInside);
            assertThat(v2.keyCount()).isEqualTo(2);
            assertThat(v1.contents()).extracting(S3Object::key)
                    .containsExactlyInAnyOrder("predictions/a.jsonl.gz", uuidInside);
        }
    }

    @Test
    void inProgress_keyEndingInAUuid_isTheTemporaryName() {
        assertThat(FinishedObjectsOnly.inProgress("k.gz-" + UUID.randomUUID())).isTrue();
        assertThat(FinishedObjectsOnly.inProgress("k.gz")).isFalse();
        assertThat(FinishedObjectsOnly.inProgress(UUID.randomUUID() + ".gz")).isFalse();
        assertThat(FinishedObjectsOnly.inProgress("k" + UUID.randomUUID())).isFalse();
    }
}
