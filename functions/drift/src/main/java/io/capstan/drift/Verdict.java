package io.capstan.drift;

/** What the check concluded about one column. */
public sealed interface Verdict permits Verdict.Drift, Verdict.NoDrift, Verdict.NotTested {
    /** Why, in words: the decisive test, its value and threshold, or why no test ran. */
    String reason();

    /** The column's decisive test flagged drift. */
    record Drift(String reason) implements Verdict {
    }

    /** The column's decisive test did not flag drift. */
    record NoDrift(String reason) implements Verdict {
    }

    /** No test could run: a sample without present values, or a column missing from one side. */
    record NotTested(String reason) implements Verdict {
    }
}
