package io.capstan.pipeline.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.PipelineStore;
import java.util.Optional;

/**
 * What starts retraining without a person: a dataset uploaded under {@code datasets/<model>/} (an S3 "Object
 * Created" event in AWS, the upload watcher locally). The same object version never starts two executions: the
 * upload is claimed in the pipeline store first, and the execution's name derives from it.
 */
public final class PipelineTriggers {
    /** Uploads under this prefix start retraining: {@code datasets/<model>/<file>.csv}. */
    public static final String DATASET_PREFIX = "datasets/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PipelineStore store;
    private final PipelineEngine engine;

    public PipelineTriggers(PipelineStore store, PipelineEngine engine) {
        this.store = store;
        this.engine = engine;
    }

    /**
     * Acts on an uploaded object.
     *
     * @param objectVersion the version id, or the ETag where the store keeps no versions
     * @return the execution it started; empty when the key is not a dataset or this object version already started one
     */
    public Optional<PipelineExecution> onUpload(String bucket, String key, String objectVersion) {
        Optional<String> model = modelOf(key);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        String name = ExecutionNames.forUpload(model.get(), bucket, key, objectVersion);
        if (!store.claimUpload(bucket, key, objectVersion, name)) {
            return Optional.empty();
        }
        ObjectNode input = JSON.createObjectNode().put("model_name", model.get()).put("trigger", "upload");
        input.putObject("dataset").put("bucket", bucket).put("key", key).put("version_id", objectVersion);
        return Optional.of(engine.start(model.get(), name, input, "upload"));
    }

    /** The model an uploaded key is a dataset of: {@code datasets/<model>/[folders/]<name>.csv}. */
    static Optional<String> modelOf(String key) {
        if (!key.startsWith(DATASET_PREFIX) || !key.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
            return Optional.empty();
        }
        String rest = key.substring(DATASET_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, slash));
    }
}
