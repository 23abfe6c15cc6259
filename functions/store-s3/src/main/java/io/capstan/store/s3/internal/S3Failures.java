package io.capstan.store.s3.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns an S3 failure into Capstan's error model: a dependency failure (S3 unreachable, throttling, a 5xx, or
 * any refusal the caller cannot fix) becomes a retryable {@code TEMPORARILY_UNAVAILABLE}.
 */
public final class S3Failures {

    private S3Failures() {
    }

    /**
     * @param action what was being done, e.g. {@code "put object"}
     * @param bucket the bucket
     * @param key    the key or prefix, {@code ""} for none
     */
    public static CapstanException translate(SdkException e, String action, String bucket, String key) {
        String where = key.isEmpty() ? "s3://" + bucket : "s3://" + bucket + "/" + key;
        String detail = e instanceof S3Exception s3
                ? "S3 answered " + s3.statusCode() + " " + errorCode(s3)
                : "S3 could not be reached (" + e.getClass().getSimpleName() + ")";
        return new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                "Could not " + action + " at " + where + ": " + detail + "; retry later", e);
    }

    /** The S3 error code ({@code NoSuchUpload}, {@code SlowDown}, ...), or {@code ""} when there is none. */
    public static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                ? "" : e.awsErrorDetails().errorCode();
    }
}
