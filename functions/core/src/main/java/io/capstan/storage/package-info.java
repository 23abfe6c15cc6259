/**
 * Definitions of Capstan's DynamoDB table and S3 buckets: one source read by the CDK storage stack and by the
 * local bootstrap.
 */
package io.capstan.storage;
