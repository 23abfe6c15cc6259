/** The pipeline's read port on the dataset bucket, on Amazon S3 (S3Proxy on the embedded platform). */
package io.capstan.pipeline.storage;
