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
    /**
     * Capture bucket: one record per scored row (id, model, version, time, output; no inputs),
     * {@code predictions/model=<model>/dt=<UTC date>/hour=<HH>/…jsonl.gz}.
     */
    public static final String PREDICTIONS = "predictions/";
    /** Capture bucket: ground truth sent for prediction ids, {@code feedback/model=<model>/dt=<UTC date>/…jsonl.gz}. */
    public static final String FEEDBACK = "feedback/";
    /** Capture bucket: quality reports, {@code quality/<model>/<report id>/report.{json,html}}. */
    public static final String QUALITY = "quality/";
    /**
     * Artifact bucket: batch prediction jobs as accepted, {@code batch/<model>/<job id>.json}; dataset bucket: where a
     * job's input and output may be, unless the deployment names other locations.
     */
    public static final String BATCH = "batch/";

    private KeyPrefixes() {
    }
}
