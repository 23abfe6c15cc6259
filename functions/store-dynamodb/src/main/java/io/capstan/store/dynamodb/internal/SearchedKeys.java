package io.capstan.store.dynamodb.internal;

import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.store.dynamodb.SearchedKeyTiming;
import io.capstan.tracking.search.RunIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The params, tags and run name whose values an experiment's run index keeps: only those a search has asked for,
 * since indexing every param of every run would multiply what logging params costs (docs/STORAGE.md).
 *
 * <p>One item per key, {@code pk = RIX#<experiment>}, {@code sk = KEY#<P|T|N>#<hash>}, with {@code kind},
 * {@code name}, {@code since} (when a search first asked, epoch milliseconds), {@code ready} (once every run is
 * indexed) and, while the runs written before are being indexed, {@code next} and {@code runs}.
 *
 * <p>The protocol: a writer computes a run's index items from a {@link Snapshot} of the keys and commits only while
 * the snapshot is younger than {@link SearchedKeyTiming#commitWindow}, so every write that missed a key asked for at
 * {@code since} has landed by {@code since + commitWindow}; the runs written before are indexed from
 * {@code since + grace} on ({@link SearchedKeyTiming#grace} is longer than the commit window by a margin for clock skew and the
 * write's own round trip), and from then on the key's index misses no run. A search reads a key's partition only once
 * it is {@code ready}, and until then a larger index (every run, or a status), checking each run as always.
 */
public final class SearchedKeys {
    private static final String KEY_PREFIX = "KEY#";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final Clock clock;
    private final SearchedKeyTiming timing;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public SearchedKeys(DynamoDbClient dynamoDb, String tableName, Clock clock, SearchedKeyTiming timing) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.clock = clock;
        this.timing = timing;
    }

    /** What a key indexes: a param's values, a tag's values or the run names. */
    public enum Kind {
        PARAM("P"), TAG("T"), RUN_NAME("N");

        private final String code;

        Kind(String code) {
            this.code = code;
        }
    }

    /** A param, tag or the run name ({@code name} empty). */
    public record Key(Kind kind, String name) {
        /** The key of {@code index} when it is a param's, tag's or run name's value; empty for the other indexes. */
        public static Optional<Key> of(RunIndex index) {
            if (index instanceof RunIndex.WithParam param) {
                return Optional.of(new Key(Kind.PARAM, param.key()));
            }
            if (index instanceof RunIndex.WithTag tag) {
                return Optional.of(new Key(Kind.TAG, tag.key()));
            }
            if (index instanceof RunIndex.WithRunName) {
                return Optional.of(new Key(Kind.RUN_NAME, ""));
            }
            return Optional.empty();
        }

        /** The index of this key's value in the run {@code summary}; null when the run has no such param or tag. */
        RunIndex index(Map<String, AttributeValue> summary) {
            return switch (kind) {
                case PARAM -> {
                    String value = RunItems.strings(summary.get(RunItems.PARAMS)).get(name);
                    yield value == null ? null : new RunIndex.WithParam(name, value);
                }
                case TAG -> {
                    String value = RunItems.strings(summary.get(RunItems.TAGS)).get(name);
                    yield value == null ? null : new RunIndex.WithTag(name, value);
                }
                case RUN_NAME -> new RunIndex.WithRunName(RunItems.toInfo(summary).runName());
            };
        }

        /** The run's item in the index of its value of this key; empty when the run has none. */
        public Optional<RunIndexItems.IndexKey> item(Map<String, AttributeValue> summary) {
            return RunIndexItems.key(summary, index(summary));
        }

        private String sortKey() {
            return KEY_PREFIX + kind.code + "#" + RunIndexItems.hash(name, "");
        }
    }

    /**
     * An experiment's keys as read at {@code readAt} (epoch milliseconds): each key asked for, and whether every run is
     * indexed by it.
     */
    public record Snapshot(Map<Key, Boolean> ready, long readAt) {
        /** No key: what a run is indexed by without any. */
        public static final Snapshot NONE = new Snapshot(Map.of(), Long.MAX_VALUE);

        public Snapshot {
            ready = Map.copyOf(ready);
        }

        /** The keys writers index (asked for, ready or not). */
        public Set<Key> keys() {
            return ready.keySet();
        }

        public boolean isReady(Key key) {
            return ready.getOrDefault(key, false);
        }
    }

    /** The experiment's keys, as this process read them less than {@link SearchedKeyTiming#refresh} ago, or read now. */
    public Snapshot of(String experimentId) {
        Snapshot known = cache.get(experimentId);
        if (known != null && clock.millis() - known.readAt() < timing.refresh().toMillis()) {
            return known;
        }
        return read(experimentId);
    }

    /** Whether a write computed from {@code snapshot} may still commit; if not, it is redone from {@link #of}. */
    public boolean current(Snapshot snapshot) {
        return snapshot == Snapshot.NONE || clock.millis() - snapshot.readAt() < timing.commitWindow().toMillis();
    }

    /** Reads the experiment's keys (strongly consistent). */
    public Snapshot read(String experimentId) {
        long readAt = clock.millis();
        Map<Key, Boolean> ready = new HashMap<>();
        items(experimentId).forEach(item -> ready.put(key(item), item.containsKey("ready")));
        Snapshot snapshot = new Snapshot(ready, readAt);
        cache.put(experimentId, snapshot);
        return snapshot;
    }

    /** Records that a search asked for {@code key}, unless one did before. */
    public void request(String experimentId, Key key) {
        Map<String, AttributeValue> item = new HashMap<>(itemKey(experimentId, key));
        item.put("kind", s(key.kind().name()));
        item.put("name", s(key.name()));
        item.put("since", RunItems.n(clock.millis()));
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException askedBefore) {
            // another search asked first: its time stands
        }
        cache.remove(experimentId);
    }

    /**
     * The keys asked for whose earlier runs may be indexed now ({@code since + grace} has passed) and are not yet,
     * each as its item (with where its indexing stopped).
     */
    public List<Map<String, AttributeValue>> due(String experimentId) {
        long now = clock.millis();
        List<Map<String, AttributeValue>> due = new ArrayList<>();
        for (Map<String, AttributeValue> item : items(experimentId)) {
            if (!item.containsKey("ready") && Long.parseLong(item.get("since").n()) + timing.grace().toMillis() <= now) {
                due.add(item);
            }
        }
        return due;
    }

    /** The key of a key item. */
    public static Key key(Map<String, AttributeValue> item) {
        return new Key(Kind.valueOf(item.get("kind").s()), item.get("name").s());
    }

    /** Records where indexing the runs by {@code key} stopped: after the summary {@code next}, {@code runs} done. */
    public void progress(String experimentId, Key key, AttributeValue next, long runs) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(itemKey(experimentId, key))
                .updateExpression("SET #next = :next, runs = :runs")
                .expressionAttributeNames(Map.of("#next", "next"))
                .expressionAttributeValues(Map.of(":next", next, ":runs", RunItems.n(runs))));
    }

    /** Records that every run is indexed by {@code key}. */
    public void ready(String experimentId, Key key, long runs) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(itemKey(experimentId, key))
                .updateExpression("SET ready = :true, runs = :runs REMOVE #next")
                .expressionAttributeNames(Map.of("#next", "next"))
                .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":runs", RunItems.n(runs))));
        cache.remove(experimentId);
    }

    private List<Map<String, AttributeValue>> items(String experimentId) {
        QueryRequest query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(RunIndexItems.readyPartition(experimentId)),
                        ":prefix", s(KEY_PREFIX)))
                .build();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.queryPaginator(query).items().forEach(items::add);
        return items;
    }

    private static Map<String, AttributeValue> itemKey(String experimentId, Key key) {
        return Map.of(Keys.PK, s(RunIndexItems.readyPartition(experimentId)), Keys.SK, s(key.sortKey()));
    }
}
