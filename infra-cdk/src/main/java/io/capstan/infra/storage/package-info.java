/**
 * The stateful stack: Capstan's DynamoDB table and S3 buckets, built from the definitions in
 * {@code io.capstan.storage} and retained when the stack is deleted.
 */
package io.capstan.infra.storage;
