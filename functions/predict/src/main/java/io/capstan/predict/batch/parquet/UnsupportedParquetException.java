package io.capstan.predict.batch.parquet;

/** A Parquet object Capstan does not read (a nested column, a codec or type it lacks), with the reason. */
public final class UnsupportedParquetException extends RuntimeException {
    public UnsupportedParquetException(String message) {
        super(message);
    }
}
