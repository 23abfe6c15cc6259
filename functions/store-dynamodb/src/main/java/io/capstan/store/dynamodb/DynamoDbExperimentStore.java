package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.store.dynamodb.internal.BatchReads;
import io.capstan.store.dynamodb.internal.BatchWrites;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.RunIndexItems;
import io.capstan.store.dynamodb.internal.Transactions;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.ExperimentStore;
import io.capstan.tracking.LifecycleStage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Experiments in the single table, written through the DynamoDB Enhanced Client's document API. An experiment item
 * lives in the {@code EXPERIMENTS} partition; its name is reserved by a separate item written in the same
 * transaction, so two experiments can never share a name, even under concurrent creates or renames.
 *
 * <p>Reads use the low-level client and map the attributes directly: every run created reads its experiment, and
 * the document API's per-call converter lookups cost more than the read itself (docs/PERFORMANCE.md).
 *
 * <p>Each experiment also has an index item, {@code pk = EIX#<A|D>} (active or deleted), sorted newest first
 * ({@link #indexSortKey}), written in the transaction that writes the experiment and moved with its lifecycle, so that
 * experiments/search in its default order reads the experiments its page shows, not all of them. A table written
 * before the index is indexed on the first such search (an {@code EIX / READY} item records it).
 */
public final class DynamoDbExperimentStore implements ExperimentStore {
    private static final String NOT_EXISTS = "attribute_not_exists(pk)";
    private static final EnhancedType<String> STRING = EnhancedType.of(String.class);
    private static final String INDEX_PK = "EIX";
    private static final String INDEX_READY_SK = "READY";
    private static final int MAX_INDEX_PAGE = 1024;
    private static final System.Logger LOG = System.getLogger(DynamoDbExperimentStore.class.getName());

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<EnhancedDocument> table;
    private final String tableName;
    /** Whether this process has seen the experiments indexed: once indexed, they stay so. */
    private volatile boolean indexed;

    public DynamoDbExperimentStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
        this.table = enhanced.table(tableName, TableSchema.documentSchemaBuilder()
                .addIndexPartitionKey(TableMetadata.primaryIndexName(), PK, AttributeValueType.S)
                .addIndexSortKey(TableMetadata.primaryIndexName(), SK, AttributeValueType.S)
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .build());
    }

    @Override
    public String nextExperimentId() {
        Map<String, AttributeValue> updated = dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(Map.of(PK, AttributeValue.fromS(Keys.COUNTER_PK), SK, AttributeValue.fromS(Keys.EXPERIMENT_COUNTER_SK)))
                .updateExpression("ADD #next :one")
                .expressionAttributeNames(Map.of("#next", "next"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return updated.get("next").n();
    }

    @Override
    public void insert(Experiment experiment) {
        try {
            enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, put(nameItem(experiment), NOT_EXISTS))
                    .addPutItem(table, put(toDocument(experiment, 1), NOT_EXISTS))
                    .addPutItem(table, EnhancedDocument.fromAttributeValueMap(indexItem(experiment)))
                    // a new experiment's runs are indexed for search from its first run on
                    .addPutItem(table, EnhancedDocument.fromAttributeValueMap(RunIndexItems.ready(
                            experiment.experimentId(), 0)))
                    .build());
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                throw CapstanException.alreadyExists("Experiment(name=" + experiment.name() + ") already exists.");
            }
            if (Transactions.conditionFailed(e, 1)) {
                throw CapstanException.alreadyExists(
                        "Experiment with id " + experiment.experimentId() + " already exists.");
            }
            throw e;
        }
    }

    @Override
    public Optional<Experiment> get(String experimentId) {
        return getItem(experimentId).map(DynamoDbExperimentStore::toExperiment);
    }

    @Override
    public Optional<Experiment> getByName(String name) {
        return read(Keys.experimentNamePk(name), Keys.NAME_SK).flatMap(reservation ->
                get(reservation.get("experimentId").s()));
    }

    @Override
    public List<Experiment> list() {
        List<Experiment> experiments = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(tableName).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.EXPERIMENTS_PK),
                                ":prefix", AttributeValue.fromS("EXP#"))))
                .items().forEach(item -> experiments.add(toExperiment(item)));
        return experiments;
    }

    @Override
    public Experiment update(String experimentId, UnaryOperator<Experiment> change) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> current = getItem(experimentId).orElseThrow(() -> CapstanException.notFound(
                    "No Experiment with id=" + experimentId + " exists"));
            Experiment before = toExperiment(current);
            Experiment after = change.apply(before);
            if (after.equals(before)) {
                return before;
            }
            long version = Long.parseLong(current.get("ver").n());
            TransactWriteItemsEnhancedRequest.Builder tx = TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(table, PutItemEnhancedRequest.builder(EnhancedDocument.class)
                            .item(toDocument(after, version + 1))
                            .conditionExpression(Expression.builder().expression("ver = :v")
                                    .putExpressionValue(":v", AttributeValue.fromN(Long.toString(version))).build())
                            .build());
            boolean renamed = !after.name().equals(before.name());
            if (renamed) {
                tx.addPutItem(table, put(nameItem(after), NOT_EXISTS));
                tx.addDeleteItem(table, DeleteItemEnhancedRequest.builder().key(Key.builder()
                        .partitionValue(Keys.experimentNamePk(before.name())).sortValue(Keys.NAME_SK).build()).build());
            }
            if (after.lifecycleStage() != before.lifecycleStage()) {
                Map<String, AttributeValue> old = indexItem(before);
                tx.addDeleteItem(table, DeleteItemEnhancedRequest.builder().key(Key.builder()
                        .partitionValue(old.get(PK).s()).sortValue(old.get(SK).s()).build()).build());
                tx.addPutItem(table, EnhancedDocument.fromAttributeValueMap(indexItem(after)));
            }
            try {
                enhanced.transactWriteItems(tx.build());
                return after;
            } catch (TransactionCanceledException e) {
                if (renamed && Transactions.conditionFailed(e, 1)) {
                    // MLflow's SQL store: the unique constraint fails, which its server answers as BAD_REQUEST
                    throw new CapstanException(ErrorCode.BAD_REQUEST, "Experiment(name=" + after.name()
                            + ") already exists.");
                }
                Transactions.backOff(attempt);
            }
        }
        throw Transactions.tooMuchContention("experiment " + experimentId);
    }

    /**
     * Reads the stage's index partition newest first, a page at a time (as many as the search expects, then twice as
     * many each time), and the experiments it names with one strongly consistent {@code BatchGetItem} per page; an
     * experiment no longer at that place (an item left behind by a lifecycle change) is skipped.
     */
    @Override
    public Iterator<Experiment> newestFirst(LifecycleStage stage, OptionalLong from, int firstRead) {
        ensureIndexed();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(indexPartition(stage)));
        String condition = "pk = :pk";
        if (from.isPresent()) {
            condition += " AND sk >= :from";
            values.put(":from", AttributeValue.fromS(newestFirstKey(from.getAsLong()) + "#"));
        }
        QueryRequest query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression(condition).expressionAttributeValues(values).build();
        return new Iterator<>() {
            private final ArrayDeque<Experiment> buffer = new ArrayDeque<>();
            private Map<String, AttributeValue> next = Map.of();
            private int pageSize = Math.max(1, Math.min(firstRead, MAX_INDEX_PAGE));
            private boolean done;

            @Override
            public boolean hasNext() {
                while (buffer.isEmpty() && !done) {
                    var page = dynamoDb.query(query.toBuilder().limit(pageSize)
                            .exclusiveStartKey(next.isEmpty() ? null : next).build());
                    next = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : Map.of();
                    done = next.isEmpty();
                    pageSize = Math.min(pageSize * 2, MAX_INDEX_PAGE);
                    List<Map<String, AttributeValue>> keys = page.items().stream().map(item -> Map.of(
                            PK, AttributeValue.fromS(Keys.EXPERIMENTS_PK),
                            SK, AttributeValue.fromS(Keys.experimentSk(item.get("experimentId").s())))).toList();
                    Map<String, Map<String, AttributeValue>> experiments = BatchReads.get(dynamoDb, tableName, keys);
                    for (int i = 0; i < keys.size(); i++) {
                        Map<String, AttributeValue> item = experiments.get(BatchReads.key(keys.get(i)));
                        Experiment experiment = item == null ? null : toExperiment(item);
                        if (experiment != null && indexItem(experiment).equals(page.items().get(i))) {
                            buffer.add(experiment);
                        }
                    }
                }
                return !buffer.isEmpty();
            }

            @Override
            public Experiment next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return buffer.poll();
            }
        };
    }

    /**
     * Indexes the experiments unless the {@code READY} item says they are (a table written before the index):
     * idempotent, and an experiment created or moved meanwhile writes its own item, so a concurrent change leaves at
     * most a stale item, which searches skip.
     */
    private void ensureIndexed() {
        if (indexed) {
            return;
        }
        Map<String, AttributeValue> ready = Map.of(PK, AttributeValue.fromS(INDEX_PK), SK,
                AttributeValue.fromS(INDEX_READY_SK));
        if (read(INDEX_PK, INDEX_READY_SK).isEmpty()) {
            List<Experiment> all = list();
            BatchWrites.put(dynamoDb, tableName, all.stream().map(DynamoDbExperimentStore::indexItem).toList());
            dynamoDb.putItem(b -> b.tableName(tableName).item(ready));
            if (all.size() >= 1000) {
                LOG.log(System.Logger.Level.INFO, "Indexed the {0} experiments for search", all.size());
            }
        }
        indexed = true;
    }

    /** The item that places {@code experiment} in its stage's index partition. */
    private static Map<String, AttributeValue> indexItem(Experiment experiment) {
        return Map.of(PK, AttributeValue.fromS(indexPartition(experiment.lifecycleStage())),
                SK, AttributeValue.fromS(indexSortKey(experiment)),
                "experimentId", AttributeValue.fromS(experiment.experimentId()));
    }

    private static String indexPartition(LifecycleStage stage) {
        return INDEX_PK + (stage == LifecycleStage.ACTIVE ? "#A" : "#D");
    }

    /**
     * Newest first, then by id ascending (experiments/search's default order): the creation time's complement in 16
     * hex digits that sort as the numbers do, then a numeric id in 20 digits (others after them).
     */
    private static String indexSortKey(Experiment experiment) {
        String id = experiment.experimentId();
        boolean numeric = !id.isEmpty() && id.length() <= 19 && id.chars().allMatch(Character::isDigit);
        return newestFirstKey(experiment.creationTime()) + "#"
                + (numeric ? "0".repeat(20 - id.length()) + id : "~" + id);
    }

    private static String newestFirstKey(long creationTime) {
        return String.format("%016x", ~(creationTime ^ Long.MIN_VALUE));
    }

    private Optional<Map<String, AttributeValue>> getItem(String experimentId) {
        return read(Keys.EXPERIMENTS_PK, Keys.experimentSk(experimentId));
    }

    private Optional<Map<String, AttributeValue>> read(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private static PutItemEnhancedRequest<EnhancedDocument> put(EnhancedDocument item, String condition) {
        return PutItemEnhancedRequest.builder(EnhancedDocument.class).item(item)
                .conditionExpression(Expression.builder().expression(condition).build()).build();
    }

    private static EnhancedDocument nameItem(Experiment experiment) {
        return EnhancedDocument.builder()
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .putString(PK, Keys.experimentNamePk(experiment.name()))
                .putString(SK, Keys.NAME_SK)
                .putString("experimentId", experiment.experimentId())
                .build();
    }

    private static EnhancedDocument toDocument(Experiment e, long version) {
        return EnhancedDocument.builder()
                .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
                .putString(PK, Keys.EXPERIMENTS_PK)
                .putString(SK, Keys.experimentSk(e.experimentId()))
                .putString("experimentId", e.experimentId())
                .putString("name", e.name())
                .putString("artifactLocation", e.artifactLocation())
                .putString("lifecycle", e.lifecycleStage().wireName())
                .putNumber("creationTime", e.creationTime())
                .putNumber("lastUpdateTime", e.lastUpdateTime())
                .putMap("tags", e.tags(), STRING, STRING)
                .putNumber("ver", version)
                .build();
    }

    /** Reads the item {@link #toDocument} writes. */
    private static Experiment toExperiment(Map<String, AttributeValue> item) {
        AttributeValue tagMap = item.get("tags");
        Map<String, String> tags = new HashMap<>();
        if (tagMap != null && tagMap.hasM()) {
            tagMap.m().forEach((k, v) -> tags.put(k, v.s()));
        }
        return new Experiment(item.get("experimentId").s(), item.get("name").s(), item.get("artifactLocation").s(),
                LifecycleStage.fromWire(item.get("lifecycle").s()), Long.parseLong(item.get("creationTime").n()),
                Long.parseLong(item.get("lastUpdateTime").n()), tags);
    }
}
