package io.capstan.store.s3;

import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A read of one S3 object that may be missing, for roles whose {@code s3:ListBucket} is held to a prefix (the batch
 * locations): S3 answers such a role 403, not 404, for a key that does not exist, so a 403 is a missing object only
 * when listing the key finds nothing; any other 403 is a refusal and stays one.
 */
public final class S3Reads {
    private S3Reads() {
    }

    /** {@code read}'s result, or empty when the object is missing. */
    public static <T> Optional<T> ifPresent(S3Client s3, String bucket, String key, Supplier<T> read) {
        try {
            return Optional.of(read.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403 && !listed(s3, bucket, key)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static boolean listed(S3Client s3, String bucket, String key) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
                .anyMatch(object -> object.key().equals(key));
    }
}
