package io.capstan.predict.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.predict.ResolvedModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The container's loaded models, keyed by name and version. A hit with the same SHA-256 reuses the session without a
 * lock; a miss, or a checksum that changed for the same version, fetches and loads the bytes once (loads are
 * serialized) and retires the session it replaces. Beyond {@link SessionSettings#maxLoadedModels()} the least recently
 * used model is retired.
 */
public final class OnnxSessionCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OnnxSessionCache.class.getName());

    private final ModelLoader loader;
    private final SessionSettings settings;
    private final Map<VersionKey, LoadedModel> models = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    public OnnxSessionCache(OrtEnvironment environment, SessionSettings settings) {
        this.loader = new ModelLoader(environment, settings);
        this.settings = settings;
    }

    private record VersionKey(String name, String version) {
    }

    /**
     * A lease on the loaded model for {@code model}, loading it when this name, version and checksum are not loaded.
     *
     * @throws io.capstan.error.CapstanException when fetching the bytes fails (as the source reports), the bytes do
     *                                           not match the checksum ({@code INTERNAL_ERROR}), or the model cannot be
     *                                           loaded or does not match its card ({@code INVALID_STATE})
     */
    public LoadedModel.Lease acquire(ResolvedModel model) {
        VersionKey key = new VersionKey(model.name(), model.version());
        LoadedModel loaded = models.get(key);
        if (loaded != null && loaded.sha256().equals(model.sha256())) {
            LoadedModel.Lease lease = loaded.tryLease(clock.incrementAndGet());
            if (lease != null) {
                return lease;
            }
        }
        return loadAndLease(key, model);
    }

    /** How many models are loaded now. */
    public int size() {
        return models.size();
    }

    private synchronized LoadedModel.Lease loadAndLease(VersionKey key, ResolvedModel model) {
        LoadedModel current = models.get(key);
        if (current != null && current.sha256().equals(model.sha256())) {
            LoadedModel.Lease lease = current.tryLease(clock.incrementAndGet());
            if (lease != null) {
                return lease;
            }
        }
        long started = System.nanoTime();
        LoadedModel fresh = loader.load(model);
        LoadedModel.Lease lease = fresh.tryLease(clock.incrementAndGet());
        LoadedModel replaced = models.put(key, fresh);
        if (replaced != null) {
            LOG.log(System.Logger.Level.INFO, "model {0} version {1} changed checksum ({2} to {3}); reloaded",
                    model.name(), model.version(), replaced.sha256(), model.sha256());
            replaced.retire();
        }
        evictBeyondLimit(key);
        LOG.log(System.Logger.Level.INFO, "loaded model {0} version {1} in {2} ms", model.name(), model.version(),
                (System.nanoTime() - started) / 1_000_000);
        return lease;
    }

    private void evictBeyondLimit(VersionKey keep) {
        while (models.size() > settings.maxLoadedModels()) {
            Map.Entry<VersionKey, LoadedModel> oldest = null;
            for (Map.Entry<VersionKey, LoadedModel> entry : models.entrySet()) {
                if (!entry.getKey().equals(keep)
                        && (oldest == null || entry.getValue().lastUsed() < oldest.getValue().lastUsed())) {
                    oldest = entry;
                }
            }
            if (oldest == null || !models.remove(oldest.getKey(), oldest.getValue())) {
                return;
            }
            oldest.getValue().retire();
        }
    }

    /** Retires every loaded model; sessions close as their last requests finish. */
    @Override
    public synchronized void close() {
        models.values().forEach(LoadedModel::retire);
        models.clear();
    }
}
