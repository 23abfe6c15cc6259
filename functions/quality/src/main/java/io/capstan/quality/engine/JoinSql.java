package io.capstan.quality.engine;

/**
 * The join's SQL, written once for both engines (DuckDB and Amazon Athena's Trino): each engine defines two relations
 * over its own storage, {@code recent} (the model's prediction records made in the window or in the look-back before
 * it: {@code id, version, "time", label, probabilities, "value"}, the probabilities as JSON text) and the feedback
 * source ({@code id, label, "value", received}); everything else here is standard SQL both run alike.
 *
 * <p>Rules, each counted among the join's issues when it applies:
 * <ul>
 *   <li>A prediction belongs to the window when it was made in {@code [from, to)}; each counts toward its version's
 *       predictions. A labelled id predicted more than once there is measured on its latest prediction (the others
 *       are counted as {@code repeated_prediction_id}); only labelled rows are deduplicated, so a window of millions
 *       of predictions is counted, not sorted.</li>
 *   <li>An id's first label (by the time it was received) stands: a later identical one is a {@code duplicate_id}, a
 *       later different one a {@code conflicting_label}; neither changes a figure (feedback is idempotent per id).</li>
 *   <li>A label received in the window for an id that no prediction made from one window length before {@code from}
 *       up to {@code to} carries is an {@code unknown_id}.</li>
 *   <li>A classifier's label that is none of its classes (the classes its records give probabilities for, and every
 *       label it predicted) is an {@code unknown_label} and is left out of the figures; a classifier's label for a
 *       regressor (or the reverse) is an {@code invalid_label}; a regressor's labelled record without a value is a
 *       {@code prediction_without_output} ({@link JoinAssembly} counts these three).</li>
 * </ul>
 */
public final class JoinSql {
    /** The relations a join builds on {@code recent} and the feedback source, in the order each needs the last. */
    static final String[] DERIVED = {"feedback_all", "feedback", "labelled_all", "labelled"};

    private JoinSql() {
    }

    /**
     * The body of each relation of {@link #DERIVED}, in that order.
     *
     * @param feedbackSource the engine's feedback relation (a table name or a parenthesised query)
     * @param start          the window's start, epoch milliseconds
     */
    static String[] derivedBodies(String feedbackSource, long start) {
        return new String[] {
            "SELECT id, label, \"value\", received, row_number() OVER (PARTITION BY id ORDER BY received, label,"
                    + " \"value\") AS rn FROM " + feedbackSource + " f",
            "SELECT * FROM feedback_all WHERE rn = 1",
            // only labelled predictions are deduplicated: a window's millions of rows are counted, not sorted
            "SELECT p.id, p.version, p.\"time\", p.label, p.probabilities, p.\"value\", f.label AS actual_label,"
                    + " f.\"value\" AS actual_value, f.received, row_number() OVER (PARTITION BY p.id ORDER BY"
                    + " p.\"time\" DESC, p.version DESC) AS rn FROM recent p JOIN feedback f ON p.id = f.id"
                    + " WHERE p.\"time\" >= " + start,
            "SELECT * FROM labelled_all WHERE rn = 1"
        };
    }

    /**
     * The relations as one {@code WITH} clause, for an engine that runs each query on its own (Athena).
     *
     * @param recentBody the query defining {@code recent}
     */
    static String with(String recentBody, String feedbackSource, long start) {
        StringBuilder with = new StringBuilder("WITH recent AS (").append(recentBody).append(")");
        String[] bodies = derivedBodies(feedbackSource, start);
        for (int i = 0; i < DERIVED.length; i++) {
            with.append(", ").append(DERIVED[i]).append(" AS (").append(bodies[i]).append(")");
        }
        return with.append(' ').toString();
    }

    /**
     * One row per fact {@link JoinAssembly#summary} reads: {@code kind, name, n, labels, vals, text}. Kinds:
     * {@code version} (its predictions in the window, how many carry a label, how many a value), {@code classes} (one
     * record's probabilities of the version), {@code label} (a label predicted in the window), {@code issue} (a
     * count of the rules above).
     */
    static String summary(long start, long end) {
        String inWindow = " FROM recent WHERE \"time\" >= " + start;
        return "SELECT 'version' AS kind, version AS name, count(*) AS n, count(label) AS labels, count(\"value\") AS"
                + " vals, CAST(NULL AS VARCHAR) AS text" + inWindow + " GROUP BY version"
                + " UNION ALL SELECT 'classes', version, 0, 0, 0, arbitrary(probabilities)" + inWindow
                + " AND probabilities IS NOT NULL GROUP BY version"
                + " UNION ALL SELECT 'label', label, 0, 0, 0, NULL" + inWindow + " AND label IS NOT NULL GROUP BY label"
                + " UNION ALL SELECT 'issue', 'repeated_prediction_id', count(*), 0, 0, NULL FROM labelled_all"
                + " WHERE rn > 1"
                + " UNION ALL SELECT 'issue', 'duplicate_id', count(*), 0, 0, NULL FROM feedback_all l JOIN feedback f"
                + " ON l.id = f.id WHERE l.rn > 1 AND l.label IS NOT DISTINCT FROM f.label"
                + " AND l.\"value\" IS NOT DISTINCT FROM f.\"value\""
                + " UNION ALL SELECT 'issue', 'conflicting_label', count(*), 0, 0, NULL FROM feedback_all l"
                + " JOIN feedback f ON l.id = f.id WHERE l.rn > 1 AND (l.label IS DISTINCT FROM f.label"
                + " OR l.\"value\" IS DISTINCT FROM f.\"value\")"
                // labels received in the window less those whose id some record carries: the join builds on the
                // labels (the smaller side) and streams the records
                + " UNION ALL SELECT 'issue', 'unknown_id', (SELECT count(*) FROM feedback WHERE received >= " + start
                + " AND received < " + end + ") - (SELECT count(DISTINCT f.id) FROM feedback f JOIN recent r"
                + " ON r.id = f.id WHERE f.received >= " + start + " AND f.received < " + end + "), 0, 0, NULL";
    }

    /** Every labelled prediction of the window, by version, prediction time and id (the columns of {@link JoinAssembly.LabelledRow}). */
    static final String LABELLED_ROWS = "SELECT version, id, \"time\", label, probabilities, \"value\", actual_label,"
            + " actual_value, received FROM labelled ORDER BY version, \"time\", id";

    /** A SQL string literal: the values come from data (labels, versions, names), so every quote is doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
