package io.capstan.batch;

import io.capstan.error.CapstanException;
import java.util.Locale;

/** The formats a batch job reads and writes: CSV with a header line, or JSON lines (one object per line). */
public enum BatchFormat {
    CSV(".csv", "text/csv"),
    JSONL(".jsonl", "application/x-ndjson");

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
        if ("parquet".equals(text)) {
            throw CapstanException.invalidParameter("'format' parquet is not supported yet; send csv or jsonl.");
        }
        throw CapstanException.invalidParameter("'format' must be csv or jsonl, got '" + text + "'.");
    }

    /** Whether {@code key} is an input object of this format (by its extension, in either case). */
    public boolean matches(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith(extension) || (this == JSONL
                && key.toLowerCase(Locale.ROOT).endsWith(".json"));
    }
}
