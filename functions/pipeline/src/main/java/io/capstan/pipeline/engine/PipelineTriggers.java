package io.capstan.pipeline.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.pipeline.DatasetUploads;
import io.capstan.pipeline.ExecutionNames;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.PipelineStore;
import io.capstan.pipeline.UploadClaim;
import java.util.Optional;
import java.util.UUID;

/**
 * What starts retraining without a person: a dataset uploaded under {@code datasets/<model>/} (an S3 "Object
 * Created" event in AWS, the upload watcher locally). The same object version never starts two executions: the
 * upload is claimed in the pipeline store first, and the execution's name derives from it. A claim whose execution
 * fails to start is given up again, so that the event's retry starts it.
 */
public final class PipelineTriggers {
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
     * @throws RuntimeException the engine's failure to start the execution, after the claim was given up
     */
    public Optional<PipelineExecution> onUpload(String bucket, String key, String objectVersion) {
        Optional<String> model = DatasetUploads.modelOf(key);
        if (model.isEmpty()) {
            return Optional.empty();
        }
        String name = ExecutionNames.forUpload(model.get(), bucket, key, objectVersion);
        UploadClaim claim = new UploadClaim(bucket, key, objectVersion, name, UUID.randomUUID().toString());
        if (!store.claimUpload(claim)) {
            return Optional.empty();
        }
        ObjectNode input = JSON.createObjectNode().put("model_name", model.get()).put("trigger", "upload");
        input.putObject("dataset").put("bucket", bucket).put("key", key).put("version_id", objectVersion);
        try {
            return Optional.of(engine.start(model.get(), name, input, "upload"));
        } catch (RuntimeException notStarted) {
            // the invocation fails and EventBridge retries it: the retry must find the version unclaimed
            try {
                store.releaseUpload(claim);
            } catch (RuntimeException releaseFailure) {
                notStarted.addSuppressed(releaseFailure);
            }
            throw notStarted;
        }
    }
}
