package io.capstan.infra.storage;

import io.capstan.storage.BucketDefinition;
import java.util.List;
import java.util.Objects;

/**
 * What one role may do with Capstan's storage: a table access level and grants on buckets, each on the whole bucket
 * or on the objects under one key prefix. Applied by {@link StorageGrants}.
 *
 * @param table   access to the metadata table
 * @param buckets bucket grants; buckets not named are out of reach
 */
public record StorageAccess(TableAccess table, List<BucketGrant> buckets) {

    public StorageAccess {
        Objects.requireNonNull(table, "table");
        buckets = List.copyOf(buckets);
    }

    public static StorageAccess of(TableAccess table, BucketGrant... buckets) {
        return new StorageAccess(table, List.of(buckets));
    }

    /** Table access levels, each one {@code grant*} call. */
    public enum TableAccess {
        NONE, READ, READ_WRITE
    }

    /** Bucket access levels, each one {@code grant*} call. */
    public enum BucketAccess {
        /** {@code grantRead}: get objects (any version), list the bucket and multipart uploads. */
        READ,
        /** {@code grantPut}: put objects (including multipart parts) and abort multipart uploads; no read, no delete. */
        WRITE,
        /**
         * {@code grantReadWrite}: read, put, delete (CDK's read-write grant includes {@code s3:DeleteObject*}) and
         * abort multipart uploads.
         */
        READ_WRITE_DELETE,
        /**
         * An explicit deny of writes and deletes (put, delete, abort multipart), which wins over any allow: a prefix
         * carved out of a wider grant, such as the registry's immutable copies inside the artifact bucket.
         */
        DENY_WRITE
    }

    /**
     * One bucket grant.
     *
     * @param bucket    the bucket
     * @param keyPrefix the objects it covers: those whose key starts with this prefix (a folder, ending in
     *                  {@code /}), or every object when empty
     * @param access    what may be done with them
     */
    public record BucketGrant(BucketDefinition bucket, String keyPrefix, BucketAccess access) {

        public BucketGrant {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            Objects.requireNonNull(access, "access");
            if (!keyPrefix.isEmpty() && (!keyPrefix.endsWith("/") || keyPrefix.startsWith("/")
                    || keyPrefix.contains("*") || keyPrefix.contains("?"))) {
                throw new IllegalArgumentException("keyPrefix must be empty or a folder such as 'registry/' (no "
                        + "leading slash, no wildcard), was '" + keyPrefix + "'");
            }
        }

        /** {@code access} to every object of {@code bucket}. */
        public static BucketGrant whole(BucketDefinition bucket, BucketAccess access) {
            return new BucketGrant(bucket, "", access);
        }

        /** {@code access} to the objects of {@code bucket} under {@code keyPrefix} (a folder ending in {@code /}). */
        public static BucketGrant under(BucketDefinition bucket, String keyPrefix, BucketAccess access) {
            return new BucketGrant(bucket, keyPrefix, access);
        }

        /** The objects-key pattern CDK's {@code grant*} methods take: the prefix followed by {@code *}. */
        public String objectsKeyPattern() {
            return keyPrefix + "*";
        }
    }
}
