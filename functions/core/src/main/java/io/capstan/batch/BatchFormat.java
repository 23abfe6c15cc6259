package io.capstan.batch;

import io.capstan.error.CapstanException;
import java.util.Locale;

/**
 * The formats a batch job reads and writes: CSV with a header line, JSON lines (one object per line), or Parquet
 * (flat columns; chunks are runs of row groups).
 */
public enum BatchFormat {
    CSV(".csv", "text/csv"),
    JSONL(".jsonl", "application/x-ndjson"),
    PARQUET(".parquet", "application/vnd.apache.parquet");

    private final String extension;
    private final String contentType;

    BatchFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the formats taken
     */
    public static BatchFormat parse(String text) {
        for (BatchFormat format : values()) {
            if (format.wireName().equals(text)) {
                return format;
            }
        }
        throw CapstanException.invalidParameter("'format' must be csv, jsonl or parquet, got '" + text + "'.");
    }

    /** Whether {@code key} is an input object of this format (by its extension, in either case). */
    public boolean matches(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith(extension) || (this == JSONL
                && key.toLowerCase(Locale.ROOT).endsWith(".json"));
    }
}
