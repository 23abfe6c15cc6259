package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.error.CapstanException;
import io.capstan.storage.RandomSuffixes;
import io.capstan.store.dynamodb.internal.BatchReads;
import io.capstan.store.dynamodb.internal.BatchWrites;
import io.capstan.store.dynamodb.internal.ExperimentPointers;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.MetricPoints;
import io.capstan.store.dynamodb.internal.RunIndexItems;
import io.capstan.store.dynamodb.internal.RunIndexItems.IndexKey;
import io.capstan.store.dynamodb.internal.RunItems;
import io.capstan.store.dynamodb.internal.SearchedKeys;
import io.capstan.store.dynamodb.internal.Transactions;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.MetricScan;
import io.capstan.tracking.ModelOutput;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunLog;
import io.capstan.tracking.RunScan;
import io.capstan.tracking.RunStore;
import io.capstan.tracking.search.RunIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs in the single table (layout in docs/STORAGE.md). A run is a summary item in its experiment's partition
 * (info, params, tags, the current point of each metric, inputs), a pointer item from the run id to the
 * experiment, and metric history segments in the run's own partition: one item per metric key per log call,
 * holding that call's points packed.
 *
 * <p>Every log call is one DynamoDB transaction (a plain conditional write when it changes the summary alone): the
 * segments and the summary change commit together or not at all. Logs with params or tags rewrite the summary under an optimistic version check; metric-only logs
 * compare-and-set just the current points they replace, so concurrent loggers of different metrics never
 * conflict.
 *
 * <p>A metric-only log needs the run's current points to know what it replaces. This process remembers them for
 * the runs it wrote last, and a log starts from that guess instead of reading the summary: every write is
 * conditional on the points it was based on (and on the run being active), so a guess another process made
 * stale fails its condition, is dropped, and the log is redone from a fresh read. Current points only move
 * forward in {@link Metric#LATEST_ORDER}, so a point that does not supersede the guess cannot supersede the
 * stored one either.
 */
public final class DynamoDbRunStore implements RunStore {
    private static final int MAX_TRANSACTION_ITEMS = 100;
    private static final int MAX_FAST_PATH_KEYS = 40;
    private static final int KNOWN_LATEST_LIMIT = 10_000;
    /**
     * The most index items a scan reads at a time: it reads what the search expects, then {@value #RESOLVE_BATCH} (most
     * searches need only the rest of their page's last group), then twice as many each time.
     */
    private static final int MAX_SCAN_PAGE = 1024;
    /** Summaries a scan reads at a time once its first batch is used up. */
    private static final int RESOLVE_BATCH = 25;
    private static final int MIGRATION_PAGE = 500;
    private static final int MIGRATION_PROGRESS = 10_000;
    /** How long a search may spend indexing an experiment written before the index; it reads it whole meanwhile. */
    private static final Duration SEARCH_INDEXING_BUDGET = Duration.ofSeconds(3);
    /** The most params, tags and run name an experiment's searches may have indexed. */
    private static final int MAX_SEARCHED_KEYS = 32;
    private static final System.Logger LOG = System.getLogger(DynamoDbRunStore.class.getName());

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final ExperimentPointers pointers;
    private final SearchedKeys searched;
    /** Run id to the current points as this process last wrote them: a guess, checked by every write's condition. */
    private final Map<String, Known> knownLatest = new ConcurrentHashMap<>();
    /** Experiments whose runs this process has seen indexed: an experiment, once indexed, stays so. */
    private final Set<String> indexedExperiments = ConcurrentHashMap.newKeySet();

    public DynamoDbRunStore(DynamoDbClient dynamoDb, String tableName) {
        this(dynamoDb, tableName, Clock.systemUTC(), SearchedKeyTiming.DEFAULT);
    }

    /** A store whose searched keys ({@link SearchedKeys}) run on {@code clock} with {@code timing}. */
    public DynamoDbRunStore(DynamoDbClient dynamoDb, String tableName, Clock clock, SearchedKeyTiming timing) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.pointers = new ExperimentPointers(dynamoDb, tableName, Keys::runPk, Keys.RUN_POINTER_SK);
        this.searched = new SearchedKeys(dynamoDb, tableName, clock, timing);
    }

    @Override
    public void insert(Run run) {
        String runId = run.info().runId();
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(put(Map.of(PK, s(Keys.runPk(runId)), SK, s(Keys.RUN_POINTER_SK),
                "experimentId", s(run.info().experimentId())), "attribute_not_exists(pk)", Map.of()));
        Map<String, AttributeValue> summary = RunItems.toItem(run, 1);
        actions.add(put(summary, "attribute_not_exists(pk)", Map.of()));
        // index items go first: the index may name a run that is not there (a search skips it), never miss one
        SearchedKeys.Snapshot keys;
        do {
            keys = searched.of(run.info().experimentId());
            batchPut(RunIndexItems.keys(summary, keys).stream().map(IndexKey::item).toList());
        } while (!searched.current(keys));
        run.metrics().forEach(m -> actions.add(put(segment(runId, m.key(), List.of(m)), null, Map.of())));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(actions));
        } catch (TransactionCanceledException e) {
            throw CapstanException.alreadyExists("Run with id=" + runId + " already exists.");
        }
        pointers.remember(runId, run.info().experimentId());
        remember(runId, summary.get(RunItems.LATEST).m(), run.info().startTime());
    }

    @Override
    public Optional<Run> get(String runId) {
        return readSummary(runId).map(RunItems::toRun);
    }

    @Override
    public Run updateInfo(String runId, UnaryOperator<RunInfo> change) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = new HashMap<>(requireSummary(runId));
            RunInfo before = RunItems.toInfo(item);
            RunInfo after = change.apply(before);
            if (after.equals(before)) {
                return RunItems.toRun(item);
            }
            long version = RunItems.version(item);
            SearchedKeys.Snapshot keys = searched.of(before.experimentId());
            Set<IndexKey> indexBefore = RunIndexItems.keys(item, keys);
            RunItems.putInfo(item, after);
            item.put(RunItems.VERSION, RunItems.n(version + 1));
            Set<IndexKey> indexAfter = addIndexItems(indexBefore, item, keys);
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(put(item, "ver = :v", Map.of(":v", RunItems.n(version))));
            dropIndexItems(actions, indexBefore, indexAfter);
            if (!searched.current(keys)) {
                continue;
            }
            if (transact(actions)) {
                return RunItems.toRun(item);
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    @Override
    public void log(String runId, RunLog entries) {
        if (entries.isEmpty()) {
            requireActive(requireSummary(runId), runId);
            return;
        }
        Map<String, List<Metric>> byKey = groupByKey(entries.metrics());
        if (entries.params().isEmpty() && entries.tags().isEmpty() && byKey.size() <= MAX_FAST_PATH_KEYS) {
            logMetrics(runId, byKey);
        } else {
            logGeneral(runId, entries, byKey);
        }
    }

    /** Params and tags (and maybe metrics): rewrite the summary under the version check. */
    private void logGeneral(String runId, RunLog entries, Map<String, List<Metric>> byKey) {
        List<Map<String, AttributeValue>> segments = segments(runId, byKey);
        int inTransaction = MAX_TRANSACTION_ITEMS - 1;
        List<Map<String, AttributeValue>> overflow = segments.size() > inTransaction
                ? segments.subList(inTransaction, segments.size()) : List.of();
        List<Map<String, AttributeValue>> transacted = segments.subList(0, Math.min(inTransaction, segments.size()));
        boolean overflowWritten = false;
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = new HashMap<>(requireSummary(runId));
            try {
                requireActive(item, runId);
                checkParams(runId, RunItems.strings(item.get(RunItems.PARAMS)), entries.params());
            } catch (CapstanException rejected) {
                if (overflowWritten) {
                    batchDelete(overflow);
                }
                throw rejected;
            }
            if (!overflow.isEmpty() && !overflowWritten) {
                batchPut(overflow);
                overflowWritten = true;
            }
            long version = RunItems.version(item);
            SearchedKeys.Snapshot keys = searched.of(RunItems.toInfo(item).experimentId());
            Set<IndexKey> indexBefore = RunIndexItems.keys(item, keys);
            Map<String, String> params = new HashMap<>(RunItems.strings(item.get(RunItems.PARAMS)));
            params.putAll(entries.params());
            Map<String, String> tags = new HashMap<>(RunItems.strings(item.get(RunItems.TAGS)));
            tags.putAll(entries.tags());
            item.put(RunItems.PARAMS, RunItems.stringMap(params));
            item.put(RunItems.TAGS, RunItems.stringMap(tags));
            item.put(RunItems.LATEST, AttributeValue.fromM(mergeLatest(item, byKey)));
            item.put(RunItems.VERSION, RunItems.n(version + 1));
            Set<IndexKey> indexAfter = addIndexItems(indexBefore, item, keys);
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(put(item, "ver = :v", Map.of(":v", RunItems.n(version))));
            transacted.forEach(seg -> actions.add(put(seg, null, Map.of())));
            dropIndexItems(actions, indexBefore, indexAfter);
            if (!searched.current(keys)) {
                continue;
            }
            if (transact(actions)) {
                remember(runId, item.get(RunItems.LATEST).m(), RunItems.toInfo(item).startTime());
                return;
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    /**
     * Metrics only: compare-and-set the current point of each metric the batch replaces, starting from the points
     * this process knows (no read) when it knows them.
     */
    private void logMetrics(String runId, Map<String, List<Metric>> byKey) {
        List<Map<String, AttributeValue>> segments = segments(runId, byKey);
        Known guess = knownLatest.get(runId);
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> stored;
            Map<String, AttributeValue> key;
            long startTime;
            if (guess != null) {
                stored = guess.latest();
                startTime = guess.startTime();
                key = summaryKey(runId);
            } else {
                Map<String, AttributeValue> item = requireSummary(runId);
                requireActive(item, runId);
                stored = item.get(RunItems.LATEST).m();
                startTime = RunItems.toInfo(item).startTime();
                key = summaryKey(item);
            }
            String experimentId = experimentOf(runId).orElseThrow();
            Set<IndexKey> indexBefore = new HashSet<>();
            Set<IndexKey> indexAfter = new HashSet<>();
            Map<String, AttributeValue> written = new HashMap<>(stored);
            StringBuilder set = new StringBuilder();
            StringBuilder condition = new StringBuilder("lifecycle = :active");
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":active", s(LifecycleStage.ACTIVE.wireName()));
            int i = 0;
            for (Map.Entry<String, List<Metric>> entry : byKey.entrySet()) {
                String metricKey = entry.getKey();
                Metric best = entry.getValue().stream().max(Metric.LATEST_ORDER).orElseThrow();
                AttributeValue current = stored.get(metricKey);
                if (current != null && !best.supersedes(MetricPoints.unpackOne(metricKey, current.b()))) {
                    continue;
                }
                indexAfter.add(RunIndexItems.metricKey(experimentId, LifecycleStage.ACTIVE, runId, startTime, best));
                if (current != null) {
                    indexBefore.add(RunIndexItems.metricKey(experimentId, LifecycleStage.ACTIVE, runId, startTime,
                            MetricPoints.unpackOne(metricKey, current.b())));
                }
                names.put("#k" + i, metricKey);
                values.put(":n" + i, AttributeValue.fromB(MetricPoints.pack(best)));
                written.put(metricKey, values.get(":n" + i));
                set.append(set.isEmpty() ? "SET " : ", ").append("latest.#k").append(i).append(" = :n").append(i);
                if (current == null) {
                    condition.append(" AND attribute_not_exists(latest.#k").append(i).append(')');
                } else {
                    values.put(":o" + i, current);
                    condition.append(" AND latest.#k").append(i).append(" = :o").append(i);
                }
                i++;
            }
            List<TransactWriteItem> actions = new ArrayList<>();
            if (set.isEmpty()) {
                actions.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName).key(key)
                        .conditionExpression(condition.toString()).expressionAttributeValues(values)).build());
            } else {
                values.put(":one", RunItems.n(1));
                actions.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(key)
                        .updateExpression(set + " ADD ver :one")
                        .conditionExpression(condition.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build());
            }
            segments.forEach(seg -> actions.add(put(seg, null, Map.of())));
            batchPut(indexAfter.stream().filter(k -> !indexBefore.contains(k)).map(IndexKey::item).toList());
            dropIndexItems(actions, indexBefore, indexAfter);
            if (transact(actions)) {
                remember(runId, written, startTime);
                return;
            }
            if (guess != null) {
                // another process moved the run on (or deleted it): redo from what is stored, at once
                guess = null;
                knownLatest.remove(runId);
                continue;
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    private void remember(String runId, Map<String, AttributeValue> latest, long startTime) {
        if (knownLatest.size() > KNOWN_LATEST_LIMIT) {
            knownLatest.clear();
        }
        knownLatest.put(runId, new Known(Map.copyOf(latest), startTime));
    }

    @Override
    public void deleteTag(String runId, String key) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = requireSummary(runId);
            requireActive(item, runId);
            String value = RunItems.strings(item.get(RunItems.TAGS)).get(key);
            if (value == null) {
                throw CapstanException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            List<TransactWriteItem> actions = new ArrayList<>();
            actions.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(summaryKey(item))
                    .updateExpression("REMOVE tags.#k ADD ver :one")
                    .conditionExpression("tags.#k = :value")
                    .expressionAttributeNames(Map.of("#k", key))
                    .expressionAttributeValues(Map.of(":one", RunItems.n(1), ":value", s(value)))).build());
            Map<String, AttributeValue> after = new HashMap<>(item);
            Map<String, String> tags = new HashMap<>(RunItems.strings(item.get(RunItems.TAGS)));
            tags.remove(key);
            after.put(RunItems.TAGS, RunItems.stringMap(tags));
            SearchedKeys.Snapshot keys = searched.of(RunItems.toInfo(item).experimentId());
            dropIndexItems(actions, RunIndexItems.keys(item, keys), RunIndexItems.keys(after, keys));
            if (searched.current(keys) && transact(actions)) {
                return;
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    @Override
    public void logInputs(String runId, List<DatasetInput> inputs) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = new HashMap<>(requireSummary(runId));
            requireActive(item, runId);
            Run run = RunItems.toRun(item);
            LinkedHashSet<DatasetInput> merged = new LinkedHashSet<>(run.inputs());
            for (DatasetInput input : inputs) {
                boolean known = merged.stream().anyMatch(d -> d.dataset().name().equals(input.dataset().name())
                        && d.dataset().digest().equals(input.dataset().digest()));
                if (!known) {
                    merged.add(input);
                }
            }
            if (merged.size() == run.inputs().size()) {
                return;
            }
            long version = RunItems.version(item);
            item.put("inputs", s(RunItems.writeInputs(List.copyOf(merged))));
            item.put(RunItems.VERSION, RunItems.n(version + 1));
            if (putIfVersion(item, version)) {
                return;
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    @Override
    public void logModelInputs(String runId, List<String> modelIds) {
        appendToSummary(runId, item -> {
            List<String> all = new ArrayList<>(RunItems.modelInputs(item));
            all.addAll(modelIds);
            RunItems.putModelInputs(item, all);
        });
    }

    @Override
    public void logOutputs(String runId, List<ModelOutput> outputs) {
        appendToSummary(runId, item -> {
            List<ModelOutput> all = new ArrayList<>(RunItems.modelOutputs(item));
            all.addAll(outputs);
            RunItems.putModelOutputs(item, all);
        });
    }

    /** Rewrites the active run's summary with what {@code append} adds, under the version check. */
    private void appendToSummary(String runId, Consumer<Map<String, AttributeValue>> append) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = new HashMap<>(requireSummary(runId));
            requireActive(item, runId);
            long version = RunItems.version(item);
            append.accept(item);
            item.put(RunItems.VERSION, RunItems.n(version + 1));
            if (putIfVersion(item, version)) {
                return;
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("run " + runId);
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        // the pointer is written with the summary, in one transaction: it alone says the run exists
        experimentOf(runId).orElseThrow(() -> CapstanException.notFound("Run with id=" + runId + " not found"));
        List<Metric> history = new ArrayList<>();
        QueryRequest query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(Keys.runPk(runId)), ":prefix", s(Keys.metricPrefix(key))))
                .build();
        dynamoDb.queryPaginator(query).items().forEach(seg -> history.addAll(MetricPoints.unpack(key, seg.get("p").b())));
        return history;
    }

    @Override
    public List<Run> listByExperiment(String experimentId) {
        List<Run> runs = new ArrayList<>();
        dynamoDb.queryPaginator(summariesOf(experimentId)).items().forEach(item -> runs.add(RunItems.toRun(item)));
        return runs;
    }

    /**
     * Reads an index partition {@code scan} allows in start-time order, a page at a time, and the summaries of the
     * runs on it with one strongly consistent {@code BatchGetItem} per page; a run whose summary no longer belongs at
     * that place of the index (an index item left behind by a change) is skipped. The partition is the first of the
     * scan's indexes the store keeps ({@link #readable}). A scan of an experiment whose runs were written before the
     * index existed indexes them first ({@link #ensureIndexed}).
     */
    @Override
    public Iterator<Run> scan(RunScan scan) {
        if (!ensureIndexed(scan.experimentId())) {
            return RunStore.super.scan(scan);
        }
        RunIndex index = readable(scan.experimentId(), scan.index());
        String partition = RunIndexItems.partition(scan.experimentId(), scan.stage(), index);
        return indexScan(scan.experimentId(), partition, summary -> RunIndexItems.key(summary, index),
                scan.ascending(), scan.from().isPresent()
                        ? RunIndexItems.startTimeBound(scan.from().getAsLong(), scan.ascending()) : null,
                scan.firstRead());
    }

    /**
     * Reads the metric's index partition in value order, as {@link #scan} reads a start-time partition: only the runs
     * whose latest value is a number are there (NaN values have a partition of their own, read by {@link #scan}).
     */
    @Override
    public Iterator<Run> scanByMetric(MetricScan scan) {
        if (!ensureIndexed(scan.experimentId())) {
            return RunStore.super.scanByMetric(scan);
        }
        String partition = RunIndexItems.metricPartition(scan.experimentId(), scan.stage(), scan.key());
        return indexScan(scan.experimentId(), partition, summary -> RunIndexItems.metricKey(summary, scan.key()),
                scan.ascending(), scan.from().map(value -> RunIndexItems.valueBound(value, scan.ascending()))
                        .orElse(null), scan.firstRead());
    }

    /**
     * The first of {@code wanted}'s candidates whose partition is complete, else every run: the runs by status and
     * metric always are; a param's, tag's or the run name's values are once a search has asked for the key
     * ({@link SearchedKeys}). This asks for each key {@code wanted} names that no search asked for before (up to
     * {@value #MAX_SEARCHED_KEYS} an experiment: each costs a write unit on every later write that sets it), and indexes
     * the runs written before a key was asked for once its grace has passed, for up to
     * {@link #SEARCH_INDEXING_BUDGET}.
     */
    private RunIndex readable(String experimentId, RunIndex wanted) {
        SearchedKeys.Snapshot keys = searched.of(experimentId);
        boolean indexedNow = false;
        RunIndex chosen = null;
        for (RunIndex candidate : wanted.candidates()) {
            Optional<SearchedKeys.Key> key = SearchedKeys.Key.of(candidate);
            if (key.isPresent() && !keys.isReady(key.get())) {
                if (!keys.keys().contains(key.get())) {
                    if (keys.keys().size() < MAX_SEARCHED_KEYS) {
                        searched.request(experimentId, key.get());
                    }
                    continue;
                }
                if (indexedNow) {
                    continue;
                }
                indexDueKeys(experimentId, System.nanoTime() + SEARCH_INDEXING_BUDGET.toNanos());
                indexedNow = true;
                keys = searched.read(experimentId);
                if (!keys.isReady(key.get())) {
                    continue;
                }
            }
            if (chosen == null) {
                chosen = candidate;
            }
        }
        return chosen == null ? RunIndex.ALL : chosen;
    }

    /**
     * The runs of an index partition in its order (or the reverse), from the sort key {@code from} if not null; a run
     * is returned only where {@code place} (its item in this partition, if it belongs there) says it is.
     */
    private IndexScan indexScan(String experimentId, String partition,
                                Function<Map<String, AttributeValue>, Optional<IndexKey>> place, boolean ascending,
                                String from, int firstRead) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(partition));
        String condition = "pk = :pk";
        if (from != null) {
            condition += ascending ? " AND sk >= :from" : " AND sk <= :from";
            values.put(":from", s(from));
        }
        QueryRequest query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .scanIndexForward(ascending).keyConditionExpression(condition).expressionAttributeValues(values)
                .build();
        return new IndexScan(experimentId, partition, place, query, firstRead);
    }

    /**
     * The runs of one index partition: index items are read a page at a time (as many as the search expects first,
     * then {@value #RESOLVE_BATCH}, then twice as many each time), and the summaries they name in batches as the
     * search consumes them (the first batch as large as the search expects, then {@value #RESOLVE_BATCH} at a time),
     * so that looking one run past a full page costs a small page and a small batch, not a page.
     */
    private final class IndexScan implements Iterator<Run> {
        private final String experimentId;
        private final String partition;
        private final Function<Map<String, AttributeValue>, Optional<IndexKey>> place;
        private final QueryRequest query;
        private final ArrayDeque<Map<String, AttributeValue>> unresolved = new ArrayDeque<>();
        private final ArrayDeque<Run> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> next = Map.of();
        private int pageSize;
        private int batchSize;
        private boolean firstPage = true;
        private boolean done;

        IndexScan(String experimentId, String partition, Function<Map<String, AttributeValue>, Optional<IndexKey>> place,
                  QueryRequest query, int firstRead) {
            this.experimentId = experimentId;
            this.partition = partition;
            this.place = place;
            this.query = query;
            this.pageSize = Math.min(firstRead, MAX_SCAN_PAGE);
            this.batchSize = pageSize;
        }

        @Override
        public boolean hasNext() {
            while (buffer.isEmpty() && !(unresolved.isEmpty() && done)) {
                if (unresolved.isEmpty()) {
                    readIndexPage();
                }
                resolve();
            }
            return !buffer.isEmpty();
        }

        @Override
        public Run next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.poll();
        }

        private void readIndexPage() {
            QueryRequest page = query.toBuilder().limit(pageSize).exclusiveStartKey(next.isEmpty() ? null : next)
                    .build();
            var response = dynamoDb.query(page);
            next = response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : Map.of();
            done = next.isEmpty();
            pageSize = firstPage ? RESOLVE_BATCH : Math.min(pageSize * 2, MAX_SCAN_PAGE);
            firstPage = false;
            unresolved.addAll(response.items());
        }

        /** Reads the summaries of the next batch of index items; keeps the runs still at that place of the index. */
        private void resolve() {
            List<Map<String, AttributeValue>> entries = new ArrayList<>();
            while (entries.size() < batchSize && !unresolved.isEmpty()) {
                entries.add(unresolved.poll());
            }
            batchSize = RESOLVE_BATCH;
            List<Map<String, AttributeValue>> keys = entries.stream().map(entry -> Map.of(
                    PK, s(Keys.experimentRunsPk(experimentId)),
                    SK, s(Keys.runSummarySk(RunIndexItems.runId(entry.get(SK).s()))))).toList();
            Map<String, Map<String, AttributeValue>> summaries = BatchReads.get(dynamoDb, tableName, keys);
            for (int i = 0; i < keys.size(); i++) {
                Map<String, AttributeValue> summary = summaries.get(BatchReads.key(keys.get(i)));
                IndexKey at = new IndexKey(partition, entries.get(i).get(SK).s());
                if (summary != null && place.apply(summary).filter(at::equals).isPresent()) {
                    buffer.add(RunItems.toRun(summary));
                }
            }
        }
    }

    /**
     * Whether the experiment's runs are indexed, indexing them for up to {@link #SEARCH_INDEXING_BUDGET} first when
     * they are not (runs written before the index existed): a search of an experiment whose indexing is not done yet
     * reads the whole experiment, and the next one goes on where this one stopped.
     */
    private boolean ensureIndexed(String experimentId) {
        return indexedExperiments.contains(experimentId) || indexExperiment(experimentId,
                System.nanoTime() + SEARCH_INDEXING_BUDGET.toNanos());
    }

    /**
     * Indexes the experiment's runs for search unless they are ({@link #indexExperiment}), then by the keys searches
     * asked for whose grace has passed ({@link #indexDueKeys}), for about {@code budget} in all.
     */
    @Override
    public boolean prepareSearch(String experimentId, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        if (!indexedExperiments.contains(experimentId) && !indexExperiment(experimentId, deadline)) {
            return false;
        }
        indexDueKeys(experimentId, deadline);
        return true;
    }

    /**
     * Indexes the experiment's runs (every run, status and metric partitions) unless its {@code READY} item says they
     * are: the summaries are read a page at a time and their index items written, idempotently, and after each page a
     * {@code PROGRESS} item records where to go on, so that the work stops after {@code deadline} (a
     * {@link System#nanoTime} value) and resumes there (a second process doing the same at the same time does no
     * harm). Runs written since the index exists index themselves.
     *
     * @return whether every run is indexed
     */
    private boolean indexExperiment(String experimentId, long deadline) {
        String partition = RunIndexItems.readyPartition(experimentId);
        Map<String, AttributeValue> ready = Map.of(PK, s(partition), SK, s(RunIndexItems.READY_SK));
        Map<String, AttributeValue> progressKey = Map.of(PK, s(partition), SK, s(RunIndexItems.PROGRESS_SK));
        if (!read(ready).isEmpty()) {
            indexedExperiments.add(experimentId);
            return true;
        }
        Map<String, AttributeValue> progress = read(progressKey);
        OptionalLong runs = indexSummaries(experimentId, "experiment " + experimentId, progress.get("next"),
                progress.isEmpty() ? 0 : Long.parseLong(progress.get("runs").n()),
                summary -> RunIndexItems.keys(summary, SearchedKeys.Snapshot.NONE),
                (next, done) -> {
                    Map<String, AttributeValue> resume = new HashMap<>(progressKey);
                    resume.put("next", next);
                    resume.put("runs", RunItems.n(done));
                    dynamoDb.putItem(b -> b.tableName(tableName).item(resume));
                }, deadline);
        if (runs.isEmpty()) {
            return false;
        }
        dynamoDb.putItem(b -> b.tableName(tableName).item(RunIndexItems.ready(experimentId, runs.getAsLong())));
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(progressKey));
        indexedExperiments.add(experimentId);
        return true;
    }

    /**
     * Indexes the experiment's runs by each key a search asked for whose grace has passed
     * ({@link SearchedKeys#due}), resumably, until {@code deadline}; the key is ready when every run is.
     */
    private void indexDueKeys(String experimentId, long deadline) {
        for (Map<String, AttributeValue> item : searched.due(experimentId)) {
            SearchedKeys.Key key = SearchedKeys.key(item);
            String what = "experiment " + experimentId + " by " + (key.kind() == SearchedKeys.Kind.RUN_NAME
                    ? "run name" : key.kind().name().toLowerCase(Locale.ROOT) + " '" + key.name() + "'");
            OptionalLong runs = indexSummaries(experimentId, what, item.get("next"),
                    item.containsKey("runs") ? Long.parseLong(item.get("runs").n()) : 0,
                    summary -> key.item(summary).stream().toList(),
                    (next, done) -> searched.progress(experimentId, key, next, done), deadline);
            if (runs.isEmpty()) {
                return;
            }
            searched.ready(experimentId, key, runs.getAsLong());
        }
    }

    /**
     * Writes the index items {@code keys} gives each of the experiment's run summaries, a page at a time from after
     * the summary sort key {@code after} (from the first when null), telling {@code progress} where it is after each
     * page and logging every {@value #MIGRATION_PROGRESS} runs.
     *
     * @return how many runs there are in all ({@code runs} done before, plus these); empty when it stopped at
     *         {@code deadline} (a {@link System#nanoTime} value) before the last page
     */
    private OptionalLong indexSummaries(String experimentId, String what, AttributeValue after, long runs,
                                        Function<Map<String, AttributeValue>, Collection<IndexKey>> keys,
                                        BiConsumer<AttributeValue, Long> progress, long deadline) {
        Map<String, AttributeValue> next = after == null ? Map.of()
                : Map.of(PK, s(Keys.experimentRunsPk(experimentId)), SK, after);
        long done = runs;
        while (true) {
            QueryRequest page = summariesOf(experimentId).toBuilder().limit(MIGRATION_PAGE)
                    .exclusiveStartKey(next.isEmpty() ? null : next).build();
            var response = dynamoDb.query(page);
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            response.items().forEach(summary -> keys.apply(summary).forEach(key -> items.add(key.item())));
            batchPut(items);
            long before = done;
            done += response.items().size();
            if (done / MIGRATION_PROGRESS > before / MIGRATION_PROGRESS) {
                LOG.log(System.Logger.Level.INFO, "Indexing the runs of {0} for search: {1} done", what, done);
            }
            if (!response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()) {
                if (done >= MIGRATION_PROGRESS) {
                    LOG.log(System.Logger.Level.INFO, "Indexed the {0} runs of {1} for search", done, what);
                }
                return OptionalLong.of(done);
            }
            next = response.lastEvaluatedKey();
            progress.accept(next.get(SK), done);
            if (System.nanoTime() > deadline) {
                return OptionalLong.empty();
            }
        }
    }

    private Map<String, AttributeValue> read(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true).key(key))
                .item();
        return item == null ? Map.of() : item;
    }

    /**
     * Writes the index items {@code summary} needs that {@code before} lacks, ahead of the summary's own write.
     *
     * @return the index items of {@code summary}
     */
    private Set<IndexKey> addIndexItems(Set<IndexKey> before, Map<String, AttributeValue> summary,
                                        SearchedKeys.Snapshot keys) {
        Set<IndexKey> after = RunIndexItems.keys(summary, keys);
        batchPut(after.stream().filter(key -> !before.contains(key)).map(IndexKey::item).toList());
        return after;
    }

    /**
     * Adds to {@code actions} (the transaction that writes the summary) the deletes of the index items the run no
     * longer needs, so that they go exactly when the summary changes: a writer that needs one of them again writes it
     * after reading that change, never before it is deleted. What does not fit in the transaction stays behind; a
     * search reading it skips the run there.
     */
    private void dropIndexItems(List<TransactWriteItem> actions, Set<IndexKey> before, Set<IndexKey> after) {
        for (IndexKey key : before) {
            if (actions.size() >= MAX_TRANSACTION_ITEMS) {
                return;
            }
            if (!after.contains(key)) {
                actions.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName)
                        .key(key.item())).build());
            }
        }
    }

    private QueryRequest summariesOf(String experimentId) {
        return QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(Keys.experimentRunsPk(experimentId)), ":prefix", s("RUN#")))
                .build();
    }

    private Optional<Map<String, AttributeValue>> readSummary(String runId) {
        Optional<String> experimentId = experimentOf(runId);
        if (experimentId.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(Keys.experimentRunsPk(experimentId.get())), SK, s(Keys.runSummarySk(runId))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private Map<String, AttributeValue> requireSummary(String runId) {
        return readSummary(runId).orElseThrow(() -> CapstanException.notFound("Run with id=" + runId + " not found"));
    }

    private Optional<String> experimentOf(String runId) {
        return pointers.experimentOf(runId);
    }

    /** A run's current points as this process last wrote them, and its start time (for their index items). */
    private record Known(Map<String, AttributeValue> latest, long startTime) {
    }

    private static void requireActive(Map<String, AttributeValue> item, String runId) {
        String stage = item.get(RunItems.LIFECYCLE).s();
        if (!LifecycleStage.ACTIVE.wireName().equals(stage)) {
            throw CapstanException.invalidParameter("The run " + runId + " must be in the 'active' state. "
                    + "Current state is " + stage + ".");
        }
    }

    private static void checkParams(String runId, Map<String, String> stored, Map<String, String> logged) {
        for (Map.Entry<String, String> p : logged.entrySet()) {
            String existing = stored.get(p.getKey());
            if (existing != null && !existing.equals(p.getValue())) {
                throw CapstanException.invalidParameter("Changing param values is not allowed. Param with key='"
                        + p.getKey() + "' was already logged with value='" + existing + "' for run ID='" + runId
                        + "'. Attempted logging new value '" + p.getValue() + "'.");
            }
        }
    }

    private static Map<String, AttributeValue> mergeLatest(Map<String, AttributeValue> item,
                                                           Map<String, List<Metric>> byKey) {
        Map<String, AttributeValue> latest = new HashMap<>(item.get(RunItems.LATEST).m());
        byKey.forEach((key, points) -> {
            Metric best = points.stream().max(Metric.LATEST_ORDER).orElseThrow();
            AttributeValue current = latest.get(key);
            if (current == null || best.supersedes(MetricPoints.unpackOne(key, current.b()))) {
                latest.put(key, AttributeValue.fromB(MetricPoints.pack(best)));
            }
        });
        return latest;
    }

    private static Map<String, List<Metric>> groupByKey(List<Metric> metrics) {
        Map<String, List<Metric>> byKey = new LinkedHashMap<>();
        metrics.forEach(m -> byKey.computeIfAbsent(m.key(), k -> new ArrayList<>()).add(m));
        return byKey;
    }

    private static List<Map<String, AttributeValue>> segments(String runId, Map<String, List<Metric>> byKey) {
        List<Map<String, AttributeValue>> segments = new ArrayList<>(byKey.size());
        byKey.forEach((key, points) -> segments.add(segment(runId, key, points)));
        return segments;
    }

    /** One history segment; its id sorts by write time and is unique across concurrent writers. */
    private static Map<String, AttributeValue> segment(String runId, String key, List<Metric> points) {
        String segmentId = String.format("%012x", System.currentTimeMillis()) + RandomSuffixes.sequenced();
        return Map.of(PK, s(Keys.runPk(runId)), SK, s(Keys.metricPrefix(key) + segmentId),
                "p", AttributeValue.fromB(MetricPoints.pack(points)));
    }

    private static Map<String, AttributeValue> summaryKey(Map<String, AttributeValue> item) {
        return Map.of(PK, item.get(PK), SK, item.get(SK));
    }

    private Map<String, AttributeValue> summaryKey(String runId) {
        String experimentId = experimentOf(runId).orElseThrow(() -> CapstanException.notFound(
                "Run with id=" + runId + " not found"));
        return Map.of(PK, s(Keys.experimentRunsPk(experimentId)), SK, s(Keys.runSummarySk(runId)));
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition,
                                  Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(p -> {
            p.tableName(tableName).item(item);
            if (condition != null) {
                p.conditionExpression(condition);
                if (!values.isEmpty()) {
                    p.expressionAttributeValues(values);
                }
            }
        }).build();
    }

    private boolean putIfVersion(Map<String, AttributeValue> item, long version) {
        return transact(List.of(put(item, "ver = :v", Map.of(":v", RunItems.n(version)))));
    }

    /** Runs the transaction; false when a condition failed or another transaction conflicted (retry). */
    private boolean transact(List<TransactWriteItem> actions) {
        return Transactions.write(dynamoDb, actions, DynamoDbRunStore::tooLarge);
    }

    /** DynamoDB refused the item itself: in practice a run whose params, tags and metrics outgrow 400 KB. */
    private static CapstanException tooLarge(DynamoDbException e) {
        return CapstanException.invalidParameter("The run cannot hold this data: DynamoDB refused the write ("
                + e.awsErrorDetails().errorMessage() + "). A run's params, tags and current metrics together are "
                + "limited to about 400 KB.");
    }

    private void batchPut(List<Map<String, AttributeValue>> items) {
        BatchWrites.put(dynamoDb, tableName, items);
    }

    private void batchDelete(List<Map<String, AttributeValue>> items) {
        BatchWrites.delete(dynamoDb, tableName, items);
    }
}
