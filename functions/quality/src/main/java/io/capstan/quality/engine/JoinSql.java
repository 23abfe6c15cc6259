package io.capstan.quality.engine;

/**
 * The join's SQL, written once for both engines (DuckDB and Amazon Athena's Trino): each engine defines three relations
 * over its own storage, {@code recent} (the model's prediction records made in the window or in the look-back before
 * it: {@code id, version, "time", label, probabilities, "value"}, the probabilities as JSON text), {@code windowed}
 * (those made in the window) and the feedback source ({@code id, label, "value", received}); everything else here is
 * standard SQL both run alike.
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
    /** The relations a join builds on the engine's relations, in the order each needs the last. */
    static final String[] DERIVED = {"feedback_all", "feedback", "labelled_all"};

    private JoinSql() {
    }

    /**
     * The body of each relation of {@link #DERIVED}, in that order. {@code labelled_all} holds every labelled prediction
     * of the window with its rank among its id's ({@code rn} 1: the latest, the one measured).
     *
     * @param feedbackSource the engine's feedback relation (a table name or a parenthesised query)
     */
    static String[] derivedBodies(String feedbackSource) {
        return new String[] {
            "SELECT id, label, \"value\", received, row_number() OVER (PARTITION BY id ORDER BY received, label,"
                    + " \"value\") AS rn FROM " + feedbackSource + " f",
            "SELECT * FROM feedback_all WHERE rn = 1",
            // only labelled predictions are deduplicated: a window's millions of rows are counted, not sorted
            "SELECT p.id, p.version, p.\"time\", p.label, p.probabilities, p.\"value\", f.label AS actual_label,"
                    + " f.\"value\" AS actual_value, f.received, row_number() OVER (PARTITION BY p.id ORDER BY"
                    + " p.\"time\" DESC, p.version DESC) AS rn FROM windowed p JOIN feedback f ON p.id = f.id"
        };
    }

    /**
     * The relations as one {@code WITH} clause, for an engine that runs each query on its own (Athena, which reads a
     * relation's files again wherever a query names it: so the window's records are named once per query, and only
     * the unknown-id count reads the look-back).
     *
     * @param recentBody   the records from the look-back to the window's end
     * @param windowedBody the records of the window alone
     */
    static String with(String recentBody, String windowedBody, String feedbackSource) {
        StringBuilder with = new StringBuilder("WITH recent AS (").append(recentBody).append("), windowed AS (")
                .append(windowedBody).append(")");
        String[] bodies = derivedBodies(feedbackSource);
        for (int i = 0; i < DERIVED.length; i++) {
            with.append(", ").append(DERIVED[i]).append(" AS (").append(bodies[i]).append(")");
        }
        return with.append(' ').toString();
    }

    /**
     * One row per fact {@link JoinAssembly#summary} reads: {@code kind, name, n, labels, vals, text}, from one pass
     * over the window's records ({@code GROUPING SETS}): {@code version} (its predictions, how many carry a label, how
     * many a value, and one record's probabilities), {@code label} (a label predicted in the window); and the counts of
     * {@code duplicate_id}, {@code conflicting_label} and {@code unknown_id} ({@code repeated_prediction_id} is counted
     * from the labelled rows).
     */
    static String summary(long start, long end) {
        return "SELECT CASE WHEN grouping(version) = 0 THEN 'version' ELSE 'label' END AS kind,"
                + " CASE WHEN grouping(version) = 0 THEN version ELSE label END AS name, count(*) AS n,"
                + " count(label) AS labels, count(\"value\") AS vals, max(probabilities) AS text FROM windowed"
                + " GROUP BY GROUPING SETS ((version), (label))"
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

    /**
     * Every labelled prediction of the window, by version, prediction time, id and rank (the columns of
     * {@link JoinAssembly.LabelledRow}); a row whose {@code rn} is above 1 is an earlier prediction of a labelled id.
     */
    static final String LABELLED_ROWS = "SELECT version, id, \"time\", label, probabilities, \"value\","
            + " actual_label, actual_value, received, rn FROM labelled_all ORDER BY version, \"time\", id, rn";

    /** A SQL string literal: the values come from data (labels, versions, names), so every quote is doubled. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
