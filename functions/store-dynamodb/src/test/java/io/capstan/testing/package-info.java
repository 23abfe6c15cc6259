/**
 * The project's shared test fixtures, in this module's test-jar: DynamoDB Local with Capstan's table
 * ({@link io.capstan.testing.DynamoDbLocalTable}), S3Proxy in process ({@link io.capstan.testing.S3ProxyFixture},
 * {@link io.capstan.testing.S3ProxyBuckets}) and a clock the test moves ({@link io.capstan.testing.MutableClock}).
 * Every module's tests use these; none keeps a copy.
 */
package io.capstan.testing;
