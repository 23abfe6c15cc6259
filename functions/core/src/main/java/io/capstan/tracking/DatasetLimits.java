package io.capstan.tracking;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.List;
import java.util.Map;

/**
 * MLflow's limits on datasets ({@code mlflow/utils/validation.py}, {@code _validate_dataset_inputs}; MLflow 3's values),
 * on the datasets a run logs as inputs and on the dataset a metric point linked to a logged model names. Each check
 * throws {@code INVALID_PARAMETER_VALUE} naming the field and the limit, before anything is stored.
 */
public final class DatasetLimits {
    /** {@code MAX_DATASET_NAME_SIZE}. */
    public static final int MAX_NAME_LENGTH = 500;
    /**
     * A SHA-256 in hex, which Capstan's pipeline logs as a dataset's digest: above MLflow's {@code MAX_DATASET_DIGEST_SIZE}
     * (36, an MD5 or UUID), which MLflow's own clients stay under.
     */
    public static final int MAX_DIGEST_LENGTH = 64;
    /** The {@code datasets.dataset_source_type} column, {@code String(36)}. */
    public static final int MAX_SOURCE_TYPE_LENGTH = 36;
    /** {@code MAX_DATASET_SOURCE_SIZE}. */
    public static final int MAX_SOURCE_LENGTH = 65_535;
    /** MLflow 3's {@code MAX_DATASET_SCHEMA_SIZE}. */
    public static final int MAX_SCHEMA_LENGTH = 1_048_575;
    /** {@code MAX_DATASET_PROFILE_SIZE}. */
    public static final int MAX_PROFILE_LENGTH = 16_777_215;
    /** {@code MAX_INPUT_TAG_KEY_SIZE}. */
    public static final int MAX_INPUT_TAG_KEY_LENGTH = 255;
    /** {@code MAX_INPUT_TAG_VALUE_SIZE}. */
    public static final int MAX_INPUT_TAG_VALUE_LENGTH = 500;

    private DatasetLimits() {
    }

    /**
     * Checks the datasets of one log-inputs call: at most {@value TrackingLimits#MAX_DATASETS_PER_BATCH}, each field
     * and input tag within MLflow's limits.
     */
    public static void checkInputs(List<DatasetInput> inputs) {
        if (inputs.size() > TrackingLimits.MAX_DATASETS_PER_BATCH) {
            throw CapstanException.invalidParameter("A log-inputs request can contain at most "
                    + TrackingLimits.MAX_DATASETS_PER_BATCH + " datasets. Got " + inputs.size() + " datasets.");
        }
        for (DatasetInput input : inputs) {
            Dataset d = input.dataset();
            FieldLimits.checkLength("datasets.dataset.name", d.name(), MAX_NAME_LENGTH);
            FieldLimits.checkLength("datasets.dataset.digest", d.digest(), MAX_DIGEST_LENGTH);
            FieldLimits.checkLength("datasets.dataset.source_type", d.sourceType(), MAX_SOURCE_TYPE_LENGTH);
            FieldLimits.checkLength("datasets.dataset.source", d.source(), MAX_SOURCE_LENGTH);
            FieldLimits.checkLength("datasets.dataset.schema", d.schema(), MAX_SCHEMA_LENGTH);
            FieldLimits.checkLength("datasets.dataset.profile", d.profile(), MAX_PROFILE_LENGTH);
            for (Map.Entry<String, String> tag : input.tags().entrySet()) {
                FieldLimits.checkLength("datasets.tags.key", tag.getKey(), MAX_INPUT_TAG_KEY_LENGTH);
                FieldLimits.checkLength("datasets.tags.value", tag.getValue(), MAX_INPUT_TAG_VALUE_LENGTH);
            }
        }
    }

    /** Checks the logged model and dataset a metric point names (MLflow 3's {@code logged_model_metrics} columns). */
    public static void checkMetricDataset(ModelMetric metric) {
        TrackingLimits.checkModelId("model_id", metric.modelId());
        FieldLimits.checkLength("dataset_name", metric.datasetName(), MAX_NAME_LENGTH);
        FieldLimits.checkLength("dataset_digest", metric.datasetDigest(), MAX_DIGEST_LENGTH);
    }
}
