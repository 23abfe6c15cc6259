/**
 * Test support for the pipeline module: DynamoDB Local and S3Proxy wired into the pipeline's real services, and a
 * recording engine in place of Step Functions.
 */
package io.capstan.pipeline.testutils;
