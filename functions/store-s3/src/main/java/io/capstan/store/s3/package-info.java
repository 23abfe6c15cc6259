/**
 * The S3 implementation of {@link io.capstan.tracking.ArtifactStore}, used in AWS and, against S3Proxy, by the
 * embedded local platform; plus the bucket bootstrap for places where CDK does not create buckets.
 */
package io.capstan.store.s3;
