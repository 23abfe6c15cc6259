package io.capstan.tracking;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FieldLimits;
import io.capstan.tracking.search.ExperimentFilter;
import io.capstan.tracking.search.ExperimentOrder;
import io.capstan.tracking.search.OrderedPages;
import io.capstan.tracking.search.Page;
import io.capstan.tracking.search.PageToken;
import io.capstan.tracking.search.RunFilter;
import io.capstan.tracking.search.RunIndex;
import io.capstan.tracking.search.RunOrder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * MLflow tracking semantics over the stores: what each tracking call does, independent of how it arrived.
 * Validation of values (names, lengths, batch limits) happens here; the stores keep the invariants that need
 * atomicity (immutable params, unique names, no lost update).
 */
public final class TrackingService {
    public static final String DEFAULT_EXPERIMENT_ID = "0";
    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String USER_TAG = "mlflow.user";
    public static final int DEFAULT_RUN_SEARCH_RESULTS = 1000;
    /** The most runs a search asks a store to read at first, however large its page (it reads on as needed). */
    private static final int MAX_FIRST_READ = 1024;
    public static final int DEFAULT_EXPERIMENT_SEARCH_RESULTS = 1000;

    private final ExperimentStore experiments;
    private final RunStore runs;
    private final LoggedModelService loggedModels;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * Tracking with MLflow 3's logged models.
     *
     * @param loggedModels where logged models live
     */
    public TrackingService(ExperimentStore experiments, RunStore runs, LoggedModelStore loggedModels, Clock clock) {
        this.experiments = Objects.requireNonNull(experiments, "experiments");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loggedModels = loggedModels == null ? null : new LoggedModelService(experiments, loggedModels, clock);
    }

    /**
     * Tracking without logged models (MLflow 2's API): {@link #loggedModels()}, {@link #getLoggedModel(String)} and
     * metrics linked to a model throw {@link IllegalStateException}. Wire a {@link LoggedModelStore} with
     * {@link #TrackingService(ExperimentStore, RunStore, LoggedModelStore, Clock)} to serve them.
     */
    public TrackingService(ExperimentStore experiments, RunStore runs, Clock clock) {
        this(experiments, runs, null, clock);
    }

    /** Creates the Default experiment ({@code "0"}) unless it exists. Safe to call from many processes. */
    public void ensureDefaultExperiment() {
        if (experiments.get(DEFAULT_EXPERIMENT_ID).isPresent()) {
            return;
        }
        long now = clock.millis();
        try {
            experiments.insert(new Experiment(DEFAULT_EXPERIMENT_ID, "Default", artifactRoot(DEFAULT_EXPERIMENT_ID),
                    LifecycleStage.ACTIVE, now, now, Map.of()));
        } catch (CapstanException createdConcurrently) {
            // another process created it first
        }
    }

    // ---- experiments

    public String createExperiment(String name, String artifactLocation, Map<String, String> tags) {
        TrackingLimits.checkExperimentName("name", name);
        FieldLimits.checkLength("artifact_location", artifactLocation, TrackingLimits.MAX_ARTIFACT_LOCATION_LENGTH);
        tags.forEach((k, v) -> {
            TrackingLimits.checkKey("tag", k);
            TrackingLimits.checkTagValue(k, v, TrackingLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH);
        });
        TrackingLimits.checkExperimentTagsSize(null, tags);
        experiments.getByName(name).ifPresent(existing -> {
            String state = existing.lifecycleStage() == LifecycleStage.DELETED ? " in deleted state" : "";
            throw CapstanException.alreadyExists("Experiment '" + name + "' already exists" + state + ".");
        });
        String id = experiments.nextExperimentId();
        String location = artifactLocation == null || artifactLocation.isBlank() ? artifactRoot(id) : artifactLocation;
        long now = clock.millis();
        experiments.insert(new Experiment(id, name, location, LifecycleStage.ACTIVE, now, now, tags));
        return id;
    }

    public Experiment getExperiment(String experimentId) {
        TrackingLimits.checkExperimentId(experimentId);
        return experiments.get(experimentId).orElseThrow(() -> CapstanException.notFound(
                "No Experiment with id=" + experimentId + " exists"));
    }

    public Experiment getExperimentByName(String name) {
        requireField("experiment_name", name);
        FieldLimits.checkLength("experiment_name", name, TrackingLimits.MAX_EXPERIMENT_NAME_LENGTH);
        return experiments.getByName(name).orElseThrow(() -> CapstanException.notFound(
                "Could not find experiment with name '" + name + "'"));
    }

    public Page<Experiment> searchExperiments(ViewType viewType, String filter, List<String> orderBy,
                                              Integer maxResults, String pageToken) {
        int max = TrackingLimits.checkMaxResults(maxResults, DEFAULT_EXPERIMENT_SEARCH_RESULTS,
                TrackingLimits.MAX_EXPERIMENT_SEARCH_RESULTS);
        ExperimentFilter parsedFilter = ExperimentFilter.parse(filter);
        Comparator<Experiment> order = ExperimentOrder.parse(orderBy);
        Predicate<Experiment> matches = e -> viewType.includes(e.lifecycleStage()) && parsedFilter.test(e);
        if (parsedFilter.name().isPresent()) {
            // names are unique: one read
            return PageToken.page(experiments.getByName(parsedFilter.name().get()).filter(matches).stream().toList(),
                    max, pageToken);
        }
        if (ExperimentOrder.isDefault(orderBy)) {
            // newest first, as a store keeps them, only as far as the page needs; the token names the page's last
            PageToken.Position position = PageToken.position(pageToken);
            int skip = position instanceof PageToken.Offset offset ? offset.offset() : 0;
            PageToken.After after = position instanceof PageToken.After a ? a : null;
            int firstRead = (int) Math.min(MAX_FIRST_READ, (long) max + 1 + skip);
            List<Iterator<Experiment>> scans = new ArrayList<>();
            for (LifecycleStage stage : LifecycleStage.values()) {
                if (viewType.includes(stage)) {
                    scans.add(experiments.newestFirst(stage, after == null ? OptionalLong.empty()
                            : OptionalLong.of(after.startTime()), firstRead));
                }
            }
            Experiment cursor = after == null ? null : new Experiment(after.runId(), "", "", LifecycleStage.ACTIVE,
                    after.startTime(), 0, Map.of());
            return OrderedPages.page(scans, order, order, matches, max, skip, cursor, Experiment::experimentId,
                    e -> PageToken.encodeAfter(e.creationTime(), e.experimentId()));
        }
        List<Experiment> matching = new ArrayList<>(experiments.list().stream().filter(matches).toList());
        matching.sort(order);
        return PageToken.page(matching, max, pageToken);
    }

    public void deleteExperiment(String experimentId) {
        getExperiment(experimentId);
        setExperimentLifecycle(experimentId, LifecycleStage.DELETED);
    }

    public void restoreExperiment(String experimentId) {
        Experiment experiment = getExperiment(experimentId);
        if (experiment.lifecycleStage() != LifecycleStage.DELETED) {
            // MLflow's SQL store looks the experiment up among the deleted ones only
            throw CapstanException.notFound("No Experiment with id=" + experimentId + " exists");
        }
        setExperimentLifecycle(experimentId, LifecycleStage.ACTIVE);
    }

    public void renameExperiment(String experimentId, String newName) {
        TrackingLimits.checkExperimentName("new_name", newName);
        Experiment experiment = getExperiment(experimentId);
        requireActive(experiment);
        long now = clock.millis();
        experiments.update(experimentId, e -> new Experiment(e.experimentId(), newName, e.artifactLocation(),
                e.lifecycleStage(), e.creationTime(), now, e.tags()));
    }

    public void setExperimentTag(String experimentId, String key, String value) {
        TrackingLimits.checkKey("tag", key);
        TrackingLimits.checkTagValue(key, value, TrackingLimits.MAX_EXPERIMENT_TAG_VAL_LENGTH);
        requireActive(getExperiment(experimentId));
        long now = clock.millis();
        experiments.update(experimentId, e -> {
            Map<String, String> tags = new HashMap<>(e.tags());
            tags.put(key, value);
            TrackingLimits.checkExperimentTagsSize(experimentId, tags);
            return new Experiment(e.experimentId(), e.name(), e.artifactLocation(), e.lifecycleStage(),
                    e.creationTime(), now, tags);
        });
    }

    private void setExperimentLifecycle(String experimentId, LifecycleStage stage) {
        long now = clock.millis();
        experiments.update(experimentId, e -> new Experiment(e.experimentId(), e.name(), e.artifactLocation(),
                stage, e.creationTime(), now, e.tags()));
        for (Run run : runs.listByExperiment(experimentId)) {
            runs.updateInfo(run.info().runId(), info -> info.withLifecycleStage(stage));
        }
    }

    // ---- logged models

    /**
     * The active (not deleted) logged model {@code modelId}, with its tags, params and metrics: what
     * {@code models:/<model id>} names.
     *
     * @throws CapstanException     RESOURCE_DOES_NOT_EXIST for an unknown or deleted model
     * @throws IllegalStateException when this service was built without a {@link LoggedModelStore}
     */
    public LoggedModel getLoggedModel(String modelId) {
        return loggedModels().get(modelId, false);
    }

    /**
     * Logged models: create, finalize, tag, search, delete.
     *
     * @throws IllegalStateException when this service was built without a {@link LoggedModelStore}
     */
    public LoggedModelService loggedModels() {
        if (loggedModels == null) {
            throw new IllegalStateException("This TrackingService was built without a LoggedModelStore; build it with"
                    + " new TrackingService(experiments, runs, loggedModelStore, clock) to serve logged models.");
        }
        return loggedModels;
    }

    // ---- runs

    public Run createRun(String experimentId, String userId, String runName, Long startTime,
                         Map<String, String> tags) {
        String expId = experimentId == null || experimentId.isEmpty() ? DEFAULT_EXPERIMENT_ID : experimentId;
        FieldLimits.checkLength("user_id", userId, TrackingLimits.MAX_USER_ID_LENGTH);
        FieldLimits.checkLength("run_name", runName, TrackingLimits.MAX_RUN_NAME_LENGTH);
        Experiment experiment = getExperiment(expId);
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw CapstanException.invalidParameter("The experiment " + expId + " must be in the 'active' state."
                    + " Current state is deleted.");
        }
        Map<String, String> given = tags;
        tags = new HashMap<>();
        for (Map.Entry<String, String> tag : given.entrySet()) {
            TrackingLimits.checkKey("tag", tag.getKey());
            tags.put(tag.getKey(), TrackingLimits.runTagValue(tag.getKey(), tag.getValue()));
        }
        String taggedName = tags.get(RUN_NAME_TAG);
        if (runName != null && !runName.isEmpty() && taggedName != null && !taggedName.equals(runName)) {
            throw CapstanException.invalidParameter("Both 'run_name' argument and 'mlflow.runName' tag are"
                    + " specified, but with different values (run_name='" + runName + "', mlflow.runName='"
                    + taggedName + "').");
        }
        String name = runName != null && !runName.isEmpty() ? runName
                : taggedName != null ? taggedName : RunNames.random(random);
        Map<String, String> allTags = new HashMap<>(tags);
        allTags.put(RUN_NAME_TAG, name);
        String user = userId != null && !userId.isEmpty() ? userId : tags.getOrDefault(USER_TAG, "");
        String runId = HexFormat.of().formatHex(randomBytes());
        RunInfo info = new RunInfo(runId, expId, name, user, RunStatus.RUNNING,
                startTime == null ? clock.millis() : startTime, null,
                experiment.artifactLocation() + "/" + runId + "/artifacts", LifecycleStage.ACTIVE);
        Run run = new Run(info, List.of(), Map.of(), allTags, List.of());
        runs.insert(run);
        return run;
    }

    public Run getRun(String runId) {
        TrackingLimits.checkRunId(runId);
        return runs.get(runId).orElseThrow(() -> CapstanException.notFound("Run with id=" + runId + " not found"));
    }

    public RunInfo updateRun(String runId, RunStatus status, Long endTime, String runName) {
        FieldLimits.checkLength("run_name", runName, TrackingLimits.MAX_RUN_NAME_LENGTH);
        Run run = getRun(runId);
        requireActive(run);
        Run updated = runs.updateInfo(runId, info -> info.withStatus(status == null ? info.status() : status,
                endTime == null ? info.endTime() : endTime,
                runName == null || runName.isEmpty() ? info.runName() : runName));
        if (runName != null && !runName.isEmpty() && !runName.equals(run.tags().get(RUN_NAME_TAG))) {
            runs.log(runId, new RunLog(List.of(), Map.of(), Map.of(RUN_NAME_TAG, runName)));
        }
        return updated.info();
    }

    public void deleteRun(String runId) {
        getRun(runId);
        runs.updateInfo(runId, info -> info.withLifecycleStage(LifecycleStage.DELETED));
    }

    public void restoreRun(String runId) {
        getRun(runId);
        runs.updateInfo(runId, info -> info.withLifecycleStage(LifecycleStage.ACTIVE));
    }

    /**
     * Logs metrics, params and tags in one atomic write after validating all of it (MLflow's log-batch; the
     * single log calls are batches of one). As MLflow's SQL store: a param value over 6000 characters and a tag value
     * over 8000 are cut to the limit, a key given twice is refused, and ±Infinity is stored as ±{@link Double#MAX_VALUE}
     * (NaN stays NaN).
     */
    public void logBatch(String runId, List<Metric> metrics, List<Map.Entry<String, String>> params,
                         List<Map.Entry<String, String>> tags) {
        logBatch(runId, metrics, params, tags, List.of());
    }

    /**
     * Logs metrics, params and tags as {@link #logBatch(String, List, List, List)}, then links {@code modelMetrics}
     * (points among {@code metrics} that named a {@code model_id}) to their logged models, as MLflow 3 does.
     */
    public void logBatch(String runId, List<Metric> metrics, List<Map.Entry<String, String>> params,
                         List<Map.Entry<String, String>> tags, List<ModelMetric> modelMetrics) {
        TrackingLimits.checkRunId(runId);
        TrackingLimits.checkBatchLimits(metrics.size(), params.size(), tags.size());
        List<Metric> stored = new ArrayList<>(metrics.size());
        Set<String> checkedKeys = new HashSet<>(); // a batch is mostly one key's points: check each key once
        for (Metric m : metrics) {
            if (checkedKeys.add(m.key())) {
                TrackingLimits.checkKey("metric", m.key());
            }
            stored.add(Metric.finiteOrExtreme(m));
        }
        Map<String, String> paramMap = new HashMap<>();
        for (Map.Entry<String, String> p : params) {
            TrackingLimits.checkKey("param", p.getKey());
            String value = TrackingLimits.paramValue(p.getKey(), p.getValue());
            if (paramMap.put(p.getKey(), value) != null) {
                throw CapstanException.invalidParameter("Duplicate parameter keys have been submitted: ['"
                        + p.getKey() + "']. Please ensure the request contains only one param value per param key.");
            }
        }
        Map<String, String> tagMap = new HashMap<>();
        for (Map.Entry<String, String> t : tags) {
            TrackingLimits.checkKey("tag", t.getKey());
            tagMap.put(t.getKey(), TrackingLimits.runTagValue(t.getKey(), t.getValue()));
        }
        for (ModelMetric m : modelMetrics) {
            DatasetLimits.checkMetricDataset(m);
        }
        runs.log(runId, new RunLog(stored, paramMap, tagMap));
        String renamed = tagMap.get(RUN_NAME_TAG);
        if (renamed != null) {
            runs.updateInfo(runId, info -> info.withStatus(info.status(), info.endTime(), renamed));
        }
        if (!modelMetrics.isEmpty()) {
            loggedModels().logMetrics(modelMetrics.stream().map(ModelMetric::finiteOrExtreme).toList());
        }
    }

    public void deleteTag(String runId, String key) {
        TrackingLimits.checkRunId(runId);
        requireField("key", key);
        FieldLimits.checkLength("key", key, TrackingLimits.MAX_ENTITY_KEY_LENGTH);
        runs.deleteTag(runId, key);
    }

    public void logInputs(String runId, List<DatasetInput> inputs) {
        logInputs(runId, inputs, List.of());
    }

    /**
     * Logs dataset inputs and logged models used as inputs ({@code modelIds}, not checked, as in MLflow) to an
     * active run.
     */
    public void logInputs(String runId, List<DatasetInput> inputs, List<String> modelIds) {
        TrackingLimits.checkRunId(runId);
        DatasetLimits.checkInputs(inputs);
        modelIds.forEach(id -> TrackingLimits.checkModelId("models.model_id", id));
        if (!inputs.isEmpty() || modelIds.isEmpty()) {
            runs.logInputs(runId, inputs);
        }
        if (!modelIds.isEmpty()) {
            runs.logModelInputs(runId, modelIds);
        }
    }

    /** Links logged models to an active run as its outputs (MLflow 3's runs/outputs; ids are not checked). */
    public void logOutputs(String runId, List<ModelOutput> outputs) {
        TrackingLimits.checkRunId(runId);
        outputs.forEach(o -> TrackingLimits.checkModelId("models.model_id", o.modelId()));
        runs.logOutputs(runId, outputs);
    }

    /**
     * Every point logged for the metric, in logging order, repeated steps included; a point logged again with the
     * same value, timestamp and step is one row in MLflow's table and is returned once. An unknown run has none.
     */
    public List<Metric> metricHistory(String runId, String key) {
        TrackingLimits.checkRunId(runId);
        requireField("metric_key", key);
        FieldLimits.checkLength("metric_key", key, TrackingLimits.MAX_ENTITY_KEY_LENGTH);
        List<Metric> points;
        try {
            points = runs.metricHistory(runId, key);
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return List.of(); // MLflow's SQL store selects the run's points: none for an unknown run
            }
            throw e;
        }
        Set<PointIdentity> seen = new HashSet<>(points.size() * 2);
        List<Metric> distinct = new ArrayList<>(points.size());
        for (Metric point : points) {
            if (seen.add(new PointIdentity(Double.doubleToLongBits(point.value()), point.timestamp(), point.step()))) {
                distinct.add(point);
            }
        }
        return distinct;
    }

    /** What makes a row of MLflow's metric table: the value's bits (NaN is one value), timestamp and step. */
    private record PointIdentity(long valueBits, long timestamp, long step) {
    }

    public Page<Run> searchRuns(List<String> experimentIds, String filter, ViewType viewType, Integer maxResults,
                                List<String> orderBy, String pageToken) {
        int max = TrackingLimits.checkMaxResults(maxResults, DEFAULT_RUN_SEARCH_RESULTS,
                TrackingLimits.MAX_RUN_SEARCH_RESULTS);
        experimentIds.forEach(TrackingLimits::checkExperimentId);
        RunFilter parsedFilter = RunFilter.parse(filter);
        var order = RunOrder.parse(orderBy);
        List<String> experiments = experimentIds.stream().distinct().toList();
        Optional<Boolean> ascending = RunOrder.startTimeAscending(orderBy);
        Optional<RunOrder.MetricOrder> byMetric = RunOrder.metricOrder(orderBy);
        if (ascending.isPresent() || byMetric.isPresent()) {
            // read an index in the search's order, only as far as the page needs
            PageToken.Position position = PageToken.position(pageToken);
            int skip = position instanceof PageToken.Offset offset ? offset.offset() : 0;
            PageToken.After after = position instanceof PageToken.After a ? a : null;
            int firstRead = (int) Math.min(MAX_FIRST_READ, (long) max + 1 + skip);
            RunIndex index = parsedFilter.index();
            List<Iterator<Run>> scans = new ArrayList<>();
            for (String experimentId : experiments) {
                for (LifecycleStage stage : LifecycleStage.values()) {
                    if (viewType.includes(stage)) {
                        scans.add(byMetric.isPresent()
                                ? RunSearch.byMetric(runs, experimentId, stage, byMetric.get(), after, firstRead)
                                : RunSearch.byStartTime(runs, experimentId, stage, index,
                                        ascending.get(), after, firstRead));
                    }
                }
            }
            return OrderedPages.page(scans, RunOrder.groups(orderBy), order, run -> viewType.includes(
                    run.info().lifecycleStage()) && parsedFilter.test(run), max, skip,
                    after == null ? null : RunSearch.cursor(after, byMetric), run -> run.info().runId(),
                    run -> RunSearch.token(run, byMetric));
        }
        List<Run> matching = new ArrayList<>();
        for (String experimentId : experiments) {
            for (Run run : runs.listByExperiment(experimentId)) {
                if (viewType.includes(run.info().lifecycleStage()) && parsedFilter.test(run)) {
                    matching.add(run);
                }
            }
        }
        matching.sort(order);
        return PageToken.page(matching, max, pageToken);
    }

    /**
     * Indexes the runs of every experiment for search (runs written before the store kept an index), for at most
     * about {@code budget}: a deploy runs it once; searches index an experiment themselves when it was not.
     *
     * @return how many experiments there are and how many are indexed now
     */
    public SearchPreparation prepareRunSearch(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        List<Experiment> all = experiments.list();
        int ready = 0;
        for (Experiment experiment : all) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (runs.prepareSearch(experiment.experimentId(), left)) {
                ready++;
            }
        }
        return new SearchPreparation(all.size(), ready);
    }

    /** What {@link #prepareRunSearch} did: of {@code experiments}, {@code indexed} can be searched by index. */
    public record SearchPreparation(int experiments, int indexed) {
        public boolean done() {
            return indexed == experiments;
        }
    }

    private String artifactRoot(String experimentId) {
        return "mlflow-artifacts:/" + experimentId;
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void requireActive(Experiment experiment) {
        if (experiment.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw CapstanException.invalidParameter("The experiment " + experiment.experimentId()
                    + " must be in the 'active' state. Current state is deleted.");
        }
    }

    private static void requireActive(Run run) {
        if (run.info().lifecycleStage() != LifecycleStage.ACTIVE) {
            throw CapstanException.invalidParameter("The run " + run.info().runId() + " must be in the 'active'"
                    + " state. Current state is deleted.");
        }
    }

    private static void requireField(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw CapstanException.invalidParameter("Missing value for required parameter '" + name + "'.");
        }
    }
}
