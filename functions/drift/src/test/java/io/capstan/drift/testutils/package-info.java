/** Test fixtures: the drift check on DynamoDB Local and S3Proxy. */
package io.capstan.drift.testutils;
