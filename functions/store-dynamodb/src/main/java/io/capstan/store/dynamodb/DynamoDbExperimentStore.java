package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.RunIndexItems;
import io.capstan.store.dynamodb.internal.Transactions;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.ExperimentStore;
import io.capstan.tracking.LifecycleStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Experiments in the single table, written through the DynamoDB Enhanced Client's document API. An experiment item
 * lives in the {@code EXPERIMENTS} partition; its name is reserved by a separate item written in the same
 * transaction, so two experiments can never share a name, even under concurrent creates or renames.
 *
 * <p>Reads use the low-level client and map the attributes directly: every run created reads its experiment, and
 * the document API's per-call converter lookups cost more than the read itself (docs/PERFORMANCE.md).
 */
public final class DynamoDbExperimentStore implements ExperimentStore {
    private static final String NOT_EXISTS = "attribute_not_exists(pk)";
    private static final EnhancedType<String> STRING = EnhancedType.of(String.class);

    private final DynamoDbClient dynamoDb;
    private final DynamoDbEnhancedClient enhanced;
    private final DynamoDbTable<EnhancedDocument> table;
    private final String tableName;

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
