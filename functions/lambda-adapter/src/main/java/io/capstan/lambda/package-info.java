/**
 * What every Capstan function's Lambda entry point shares: API Gateway HTTP API (payload 2.0) events converted to
 * and from Capstan's HTTP model, with the caller's identity from IAM or the bearer-token authorizer, and reading
 * the environment.
 */
package io.capstan.lambda;
