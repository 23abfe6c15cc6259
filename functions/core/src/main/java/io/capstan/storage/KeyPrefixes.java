package io.capstan.storage;

/**
 * The key prefixes that divide Capstan's buckets between functions (docs/STORAGE.md). Grants are scoped to them,
 * so the code that writes under a prefix and the stack that grants it read the same constant.
 */
public final class KeyPrefixes {
    /** Artifact bucket: the registry's immutable copies, {@code registry/<model>/<version>/<digest prefix>/}. */
    public static final String REGISTRY = "registry/";
    /** Artifact bucket: the pipeline's splits, training outputs and reference holdouts, {@code pipeline/<model>/…}. */
    public static final String PIPELINE = "pipeline/";
    /** Dataset bucket: uploads that start retraining, {@code datasets/<model>/…csv}. */
    public static final String DATASETS = "datasets/";
    /** Capture bucket: sketches of served traffic, {@code capture/<model>/<version>/<UTC hour>/…sketch}. */
    public static final String CAPTURE = "capture/";
    /** Capture bucket: drift reports, {@code reports/<model>/<report id>/report.{json,html}}. */
    public static final String REPORTS = "reports/";

    private KeyPrefixes() {
    }
}
