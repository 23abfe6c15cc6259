/**
 * Parquet for batch predictions, on parquet-java without Hadoop's runtime: {@link
 * io.capstan.predict.batch.parquet.ParquetRows} reads a flat file's rows as scoring values through ranged reads
 * ({@link io.capstan.predict.batch.parquet.RangedInputFile}), with page codecs on their own libraries ({@link
 * io.capstan.predict.batch.parquet.ParquetCodecs}).
 */
package io.capstan.predict.batch.parquet;
