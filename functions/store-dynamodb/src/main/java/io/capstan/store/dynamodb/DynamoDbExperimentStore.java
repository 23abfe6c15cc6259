package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;

import io.capstan.error.CapstanException;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.Transactions;
import io.capstan.tracking.Experiment;
import io.capstan.tracking.ExperimentStore;
import io.capstan.tracking.LifecycleStage;
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
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Experiments in the single table, through the DynamoDB Enhanced Client's document API. An experiment item
 * lives in the {@code EXPERIMENTS} partition; its name is reserved by a separate item written in the same
 * transaction, so two experiments can never share a name, even under concurrent creates or renames.
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
        return getDocument(experimentId).map(DynamoDbExperimentStore::toExperiment);
    }

    @Override
    public Optional<Experiment> getByName(String name) {
        EnhancedDocument reservation = table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(Keys.experimentNamePk(name)).sortValue(Keys.NAME_SK).build())
                .consistentRead(true).build());
        return reservation == null ? Optional.empty() : get(reservation.getString("experimentId"));
    }

    @Override
    public List<Experiment> list() {
        return table.query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.sortBeginsWith(
                                Key.builder().partitionValue(Keys.EXPERIMENTS_PK).sortValue("EXP#").build()))
                        .consistentRead(true).build())
                .items().stream().map(DynamoDbExperimentStore::toExperiment).toList();
    }

    @Override
    public Experiment update(String experimentId, UnaryOperator<Experiment> change) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            EnhancedDocument current = getDocument(experimentId).orElseThrow(() -> CapstanException.notFound(
                    "No Experiment with id=" + experimentId + " exists"));
            Experiment before = toExperiment(current);
            Experiment after = change.apply(before);
            if (after.equals(before)) {
                return before;
            }
            long version = current.getNumber("ver").longValue();
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
                    throw CapstanException.alreadyExists("Experiment(name=" + after.name() + ") already exists.");
                }
                Transactions.backOff(attempt);
            }
        }
        throw Transactions.tooMuchContention("experiment " + experimentId);
    }

    private Optional<EnhancedDocument> getDocument(String experimentId) {
        return Optional.ofNullable(table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(Keys.EXPERIMENTS_PK).sortValue(Keys.experimentSk(experimentId)).build())
                .consistentRead(true).build()));
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

    private static Experiment toExperiment(EnhancedDocument d) {
        Map<String, String> tags = d.isPresent("tags") ? d.getMap("tags", STRING, STRING) : Map.of();
        return new Experiment(d.getString("experimentId"), d.getString("name"), d.getString("artifactLocation"),
                LifecycleStage.fromWire(d.getString("lifecycle")), d.getNumber("creationTime").longValue(),
                d.getNumber("lastUpdateTime").longValue(), tags);
    }
}
