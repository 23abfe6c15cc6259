/**
 * Internals of the S3 artifact store: translating S3 failures into Capstan's error model. Not for callers.
 */
package io.capstan.store.s3.internal;
