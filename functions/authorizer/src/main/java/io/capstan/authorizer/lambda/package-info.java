/**
 * The authorizer's AWS Lambda entry point for API Gateway HTTP API (simple responses) and the token source that
 * reads the digests from AWS Secrets Manager.
 */
package io.capstan.authorizer.lambda;
