package io.capstan.local.pipeline;

import io.capstan.pipeline.DatasetUploads;
import io.capstan.pipeline.engine.PipelineTriggers;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The local stand-in for the EventBridge rule on the dataset bucket: polls {@code datasets/} and hands each new
 * object to the pipeline's triggers. The local S3 keeps no object versions, so an object's ETag (its content's MD5)
 * stands for its version: uploading the same bytes again starts nothing, different bytes start a new execution.
 */
public final class UploadWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UploadWatcher.class);

    private final S3Client s3;
    private final String bucket;
    private final PipelineTriggers triggers;
    private final Consumer<String> log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "capstan-upload-watcher");
        thread.setDaemon(true);
        return thread;
    });

    public UploadWatcher(S3Client s3, String bucket, PipelineTriggers triggers, Consumer<String> log) {
        this.s3 = s3;
        this.bucket = bucket;
        this.triggers = triggers;
        this.log = log;
    }

    /** Polls every {@code intervalMillis}. */
    public UploadWatcher start(long intervalMillis) {
        scheduler.scheduleWithFixedDelay(this::pollSafely, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One poll: every object under {@code datasets/} not acted on before goes to the triggers. */
    public void poll() {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(DatasetUploads.PREFIX))
                .contents()) {
            String version = object.eTag().replace("\"", "");
            if (seen.add(object.key() + "#" + version)) {
                triggers.onUpload(bucket, object.key(), version).ifPresent(execution -> log.accept("[upload] s3://"
                        + bucket + "/" + object.key() + " started " + execution.name()));
            }
        }
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("Watching s3://{}/{} failed: {}", bucket, DatasetUploads.PREFIX, e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
