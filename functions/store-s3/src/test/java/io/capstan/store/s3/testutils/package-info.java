/**
 * Test support for code that talks to S3: an in-process S3Proxy with clients wired for it.
 */
package io.capstan.store.s3.testutils;
