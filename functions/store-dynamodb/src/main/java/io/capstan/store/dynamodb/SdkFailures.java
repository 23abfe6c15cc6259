package io.capstan.store.dynamodb;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How a function reports an AWS SDK failure it did not expect (DynamoDB or S3 unreachable, throttled, refusing
 * access): retryable ones as 503 {@code TEMPORARILY_UNAVAILABLE} so MLflow clients retry, the rest as 500, and
 * never the SDK's message, which can name tables and buckets.
 */
public final class SdkFailures {
    private SdkFailures() {
    }

    /** The error for {@code failure} when it is an SDK exception, otherwise empty. */
    public static Optional<CapstanException> translate(RuntimeException failure) {
        if (!(failure instanceof SdkException sdk)) {
            return Optional.empty();
        }
        ErrorCode code = sdk.retryable() ? ErrorCode.TEMPORARILY_UNAVAILABLE : ErrorCode.INTERNAL_ERROR;
        return Optional.of(new CapstanException(code, "Storage is unavailable: " + sdk.getClass().getSimpleName()
                + (sdk.retryable() ? "; retry the request." : ".")));
    }
}
