package io.capstan.store.s3;

import io.capstan.store.s3.internal.S3Failures;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Creates a bucket where CDK does not: in S3Proxy (the embedded platform, tests) and LocalStack.
 */
public final class S3BucketBootstrap {

    private S3BucketBootstrap() {
    }

    /**
     * Creates {@code bucket} unless it exists already (a data directory that survived a restart).
     *
     * @throws io.capstan.error.CapstanException TEMPORARILY_UNAVAILABLE when S3 cannot be reached or refuses
     */
    public static void createIfMissing(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException missing) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw S3Failures.translate(e, "check bucket", bucket, "");
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "check bucket", bucket, "");
        }
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException raced) {
            // created concurrently: fine
        } catch (SdkException e) {
            throw S3Failures.translate(e, "create bucket", bucket, "");
        }
    }
}
