package io.capstan.pipeline.storage;

import io.capstan.pipeline.tasks.DatasetObjects;
import io.capstan.store.s3.internal.S3Failures;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link DatasetObjects} on one S3 bucket. A version that has an ETag's form (an MD5 in hex, with {@code -<parts>}
 * after a multipart upload) is read as the object only while it still has that ETag ({@code If-Match}); any other
 * version is read as an S3 version id.
 */
public final class S3DatasetObjects implements DatasetObjects {
    /** S3 writes ETags in lower-case hex; its version ids are longer or mix cases and punctuation. */
    private static final Pattern ETAG = Pattern.compile("[0-9a-f]{32}(-[0-9]+)?");

    private final S3Client s3;
    private final String bucket;

    /**
     * @param s3     client for the bucket's region (path-style for S3Proxy)
     * @param bucket the dataset bucket
     */
    public S3DatasetObjects(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must be a bucket name, got '" + bucket + "'");
        }
        this.bucket = bucket;
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<byte[]> read(String key, String version) {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        boolean etag = ETAG.matcher(version).matches();
        if (etag) {
            request.ifMatch("\"" + version + "\"");
        } else if (!version.isEmpty()) {
            request.versionId(version);
        }
        try {
            return Optional.of(s3.getObjectAsBytes(request.build()).asByteArray());
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            // 404: no such key or version; 412: the object no longer has that ETag; 400: not a version id of S3's
            boolean versionId = !etag && !version.isEmpty();
            if (e.statusCode() == 404 || (etag && e.statusCode() == 412) || (versionId && e.statusCode() == 400)) {
                return Optional.empty();
            }
            throw S3Failures.translate(e, "get object", bucket, key);
        } catch (SdkException e) {
            throw S3Failures.translate(e, "get object", bucket, key);
        }
    }
}
