/**
 * The API stack: one Lambda function per {@link io.capstan.http.FunctionId} in the route table, the bearer-token
 * authorizer, and two HTTP APIs built from the same route table, one for MLflow clients (bearer tokens) and one
 * for AWS-native callers (IAM, SigV4).
 */
package io.capstan.infra.api;
