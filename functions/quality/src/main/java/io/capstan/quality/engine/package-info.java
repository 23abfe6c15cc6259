/**
 * The join of prediction records and ground truth: one SQL ({@link io.capstan.quality.engine.JoinSql}) on DuckDB in
 * process over the downloaded JSON lines, or on Amazon Athena over the bucket, picked by the window's size.
 */
package io.capstan.quality.engine;
