package io.capstan.predict.capture;

import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Flushed sketches as objects of the capture bucket ({@code CAPSTAN_CAPTURE_BUCKET}). */
public final class S3CaptureSink implements CaptureSink {
    /** The content type of a flushed {@link io.capstan.profile.StreamingProfile}. */
    public static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;

    public S3CaptureSink(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the capture bucket is blank: set "
                    + io.capstan.storage.BucketDefinition.CAPTURE.nameEnvVar());
        }
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void write(String key, byte[] sketch) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE), RequestBody.fromBytes(sketch));
    }
}
