package io.capstan.local.internal;

import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunLog;
import io.capstan.tracking.RunStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A write-through cache of run summaries in front of the real store, for the embedded platform only: there, one
 * process owns the data directory (see {@link DataDirectoryLock}), so every write passes through this object and
 * the cache can never miss one. In AWS many Lambda containers write the same table, and the store is used as is.
 *
 * <p>Searching an experiment loads all its runs once; after that only the runs written since are re-read, one
 * item each, instead of querying the whole experiment again. Reads racing with writes are handled with a logical
 * clock: a write marks its run stale after it is stored (also when it fails, since a failed call may have
 * written), and a re-read result is kept only if no later write marked the run again while it was being read.
 */
public final class CachedRunStore implements RunStore {

    /** Past this many cached runs, further experiments are not cached (their searches query the store). */
    static final int MAX_CACHED_RUNS = 200_000;

    private final RunStore store;
    // all guarded by this
    private final Map<String, Map<String, Run>> experiments = new HashMap<>();
    private final Map<String, String> experimentOfRun = new HashMap<>();
    /** Per cached experiment: the runs written since they were cached, with the clock value of the last write. */
    private final Map<String, Map<String, Long>> stale = new HashMap<>();
    private long clock;
    private int cachedRuns;

    public CachedRunStore(RunStore store) {
        this.store = store;
    }

    @Override
    public void insert(Run run) {
        try {
            store.insert(run);
        } finally {
            synchronized (this) {
                if (experiments.containsKey(run.info().experimentId())) {
                    experimentOfRun.put(run.info().runId(), run.info().experimentId());
                }
                markStale(run.info().runId());
            }
        }
    }

    @Override
    public Optional<Run> get(String runId) {
        synchronized (this) {
            String experimentId = experimentOfRun.get(runId);
            if (experimentId != null && !stale.get(experimentId).containsKey(runId)) {
                return Optional.ofNullable(experiments.get(experimentId).get(runId));
            }
        }
        return store.get(runId);
    }

    @Override
    public Run updateInfo(String runId, UnaryOperator<RunInfo> change) {
        try {
            return store.updateInfo(runId, change);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public void log(String runId, RunLog entries) {
        try {
            store.log(runId, entries);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public void deleteTag(String runId, String key) {
        try {
            store.deleteTag(runId, key);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        try {
            store.logInputs(runId, inputs);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public void logModelInputs(String runId, List<String> modelIds) {
        try {
            store.logModelInputs(runId, modelIds);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public void logOutputs(String runId, List<ModelOutput> outputs) {
        try {
            store.logOutputs(runId, outputs);
        } finally {
            markStaleSynchronized(runId);
        }
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        return store.metricHistory(runId, key);
    }

    @Override
    public List<Run> listByExperiment(String experimentId) {
        Map<String, Long> toRefresh;
        long clockAtStart;
        synchronized (this) {
            Map<String, Run> cached = experiments.get(experimentId);
            if (cached != null && stale.get(experimentId).isEmpty()) {
                return new ArrayList<>(cached.values());
            }
            toRefresh = cached == null ? null : Map.copyOf(stale.get(experimentId));
            clockAtStart = clock;
        }
        return toRefresh == null ? load(experimentId, clockAtStart) : refresh(experimentId, toRefresh);
    }

    private List<Run> load(String experimentId, long clockAtStart) {
        List<Run> loaded = store.listByExperiment(experimentId);
        synchronized (this) {
            // a write during the query may or may not be in its result: cache only a result no write overlapped
            if (clock == clockAtStart && !experiments.containsKey(experimentId)
                    && cachedRuns + loaded.size() <= MAX_CACHED_RUNS) {
                Map<String, Run> byId = new HashMap<>();
                for (Run run : loaded) {
                    byId.put(run.info().runId(), run);
                    experimentOfRun.put(run.info().runId(), experimentId);
                }
                experiments.put(experimentId, byId);
                stale.put(experimentId, new HashMap<>());
                cachedRuns += loaded.size();
            }
        }
        return loaded;
    }

    private List<Run> refresh(String experimentId, Map<String, Long> toRefresh) {
        Map<String, Optional<Run>> fresh = new HashMap<>();
        toRefresh.keySet().forEach(runId -> fresh.put(runId, store.get(runId)));
        synchronized (this) {
            Map<String, Run> cached = experiments.get(experimentId);
            Map<String, Long> stillStale = stale.get(experimentId);
            fresh.forEach((runId, run) -> {
                // keep what was read only if no write marked the run again meanwhile
                if (toRefresh.get(runId).equals(stillStale.get(runId))) {
                    stillStale.remove(runId);
                    if (run.isPresent()) {
                        cachedRuns += cached.put(runId, run.get()) == null ? 1 : 0;
                    } else {
                        cachedRuns -= cached.remove(runId) == null ? 0 : 1;
                        experimentOfRun.remove(runId);
                    }
                }
            });
            Map<String, Run> view = new HashMap<>(cached);
            fresh.forEach((runId, run) -> run.ifPresentOrElse(r -> view.put(runId, r), () -> view.remove(runId)));
            return new ArrayList<>(view.values());
        }
    }

    private synchronized void markStaleSynchronized(String runId) {
        markStale(runId);
    }

    private void markStale(String runId) {
        clock++;
        String experimentId = experimentOfRun.get(runId);
        if (experimentId != null) {
            stale.get(experimentId).put(runId, clock);
        }
    }
}
