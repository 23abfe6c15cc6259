package io.capstan.pipeline;

import java.util.Objects;

/**
 * One caller's claim of an uploaded object version: whoever holds it starts the version's execution.
 *
 * @param bucket        the object's bucket
 * @param key           its key
 * @param objectVersion its version id, or its ETag where the store keeps no versions
 * @param execution     the execution the claim is for
 * @param claimId       what tells this claim from another caller's claim of the same version (a random id); the
 *                      claim is released only while it still carries it
 */
public record UploadClaim(String bucket, String key, String objectVersion, String execution, String claimId) {
    public UploadClaim {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(objectVersion, "objectVersion");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(claimId, "claimId");
    }
}
