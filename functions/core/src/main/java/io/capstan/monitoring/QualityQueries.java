package io.capstan.monitoring;

/**
 * How the quality function finds Amazon Athena's view of the prediction records and feedback ({@link PredictionKeys}):
 * the names the CDK app gives the workgroup, the Glue database and its two tables, passed in the environment, and the
 * size of a window above which the join runs in Athena rather than in DuckDB in the function.
 */
public final class QualityQueries {
    /** The Athena workgroup the quality function's queries run in. */
    public static final String WORKGROUP_ENV = "CAPSTAN_ATHENA_WORKGROUP";
    /** The Glue database holding {@link #PREDICTIONS_TABLE} and {@link #FEEDBACK_TABLE}. */
    public static final String DATABASE_ENV = "CAPSTAN_ATHENA_DATABASE";
    /** Windows whose records and feedback (gzipped, as stored) are larger than this many bytes are joined in Athena. */
    public static final String EMBEDDED_UP_TO_BYTES_ENV = "CAPSTAN_QUALITY_EMBEDDED_UP_TO_BYTES";
    /** The table of prediction records (columns: the record's fields; partitions {@code model, dt, hour}). */
    public static final String PREDICTIONS_TABLE = "predictions";
    /** The table of ground truth (columns: the label's fields; partitions {@code model, dt}). */
    public static final String FEEDBACK_TABLE = "feedback";
    /**
     * The default switch: 384 MiB of gzipped records and feedback, about 9 million predictions of a binary classifier.
     * The function downloads a window and its feedback to its /tmp, which SnapStart holds to 512 MB; at
     * that size DuckDB joins it within 40% of a 6,144 MB function without spilling, in about 8 s on 2 cores
     * (docs/QUALITY.md, "Engines").
     */
    public static final long DEFAULT_EMBEDDED_UP_TO_BYTES = 384L << 20;

    private QualityQueries() {
    }
}
