/**
 * The stateful stack: Capstan's DynamoDB table and S3 buckets, built from the definitions in
 * {@code io.capstan.storage} and retained when the stack is deleted; and what a role may do with them
 * ({@link io.capstan.infra.storage.StorageAccess}, applied with CDK's grants by
 * {@link io.capstan.infra.storage.StorageGrants}).
 */
package io.capstan.infra.storage;
