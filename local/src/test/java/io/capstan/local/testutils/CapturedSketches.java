package io.capstan.local.testutils;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The traffic sketches the predict function has flushed under a prefix of the local platform's capture bucket. S3Proxy's
 * file store writes an object under a temporary name (the key, a dash and a UUID) and then renames it, and a listing
 * can catch that name in between: only finished {@code .sketch} keys count.
 */
public final class CapturedSketches {
    private CapturedSketches() {
    }

    public static List<S3Object> list(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(object -> object.key().endsWith(".sketch")).toList();
    }
}
