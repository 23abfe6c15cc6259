package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.n;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.monitoring.DriftStore;
import io.capstan.monitoring.DriftSummary;
import io.capstan.store.dynamodb.internal.RegistryItems;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Drift summaries in the single table (docs/STORAGE.md): one item per check under the model's drift partition,
 * sorted by time, and one retraining item whose timestamp is advanced by a conditional write, so two checks racing
 * to retrain the same model start one execution.
 */
public final class DynamoDbDriftStore implements DriftStore {
    private static final String RETRAIN_SK = "RETRAIN";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbDriftStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public void put(DriftSummary d) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk(d.modelName())));
        item.put(SK, s(sk(d.reportId())));
        item.put("reportId", s(d.reportId()));
        item.put("timestamp", n(d.timestamp()));
        item.put("trigger", s(d.trigger()));
        item.put("mode", s(d.mode()));
        item.put("version", s(d.version()));
        item.put("datasetDrift", AttributeValue.fromBool(d.datasetDrift()));
        item.put("driftedShare", AttributeValue.fromN(Double.toString(d.driftedShare())));
        if (d.predictionDrift() != null) {
            item.put("predictionDrift", AttributeValue.fromBool(d.predictionDrift()));
        }
        item.put("referenceRows", n(d.referenceRows()));
        item.put("currentRows", n(d.currentRows()));
        item.put("jsonUri", s(d.jsonUri()));
        item.put("htmlUri", s(d.htmlUri()));
        item.put("decision", s(d.decision()));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    @Override
    public List<DriftSummary> summaries(String modelName, int limit) {
        return dynamoDb.query(b -> b.tableName(tableName).consistentRead(true).scanIndexForward(false).limit(limit)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(pk(modelName)), ":prefix", s("REPORT#"))))
                .items().stream().map(item -> toSummary(modelName, item)).toList();
    }

    @Override
    public Optional<DriftSummary> summary(String modelName, String reportId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(pk(modelName)), SK, s(sk(reportId))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toSummary(modelName, item));
    }

    @Override
    public Optional<Long> claimRetraining(String modelName, long now, long cooldownMillis) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(Map.of(PK, s(pk(modelName)), SK, s(RETRAIN_SK)))
                    .updateExpression("SET startedAt = :now")
                    .conditionExpression("attribute_not_exists(startedAt) OR startedAt <= :threshold")
                    .expressionAttributeValues(Map.of(":now", n(now), ":threshold", n(now - cooldownMillis)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> old = e.item();
            return Optional.of(old == null || !old.containsKey("startedAt") ? now
                    : RegistryItems.number(old, "startedAt"));
        }
    }

    private static DriftSummary toSummary(String modelName, Map<String, AttributeValue> item) {
        return new DriftSummary(modelName, item.get("reportId").s(), RegistryItems.number(item, "timestamp"),
                item.get("trigger").s(), item.get("mode").s(), item.get("version").s(),
                item.get("datasetDrift").bool(), Double.parseDouble(item.get("driftedShare").n()),
                item.containsKey("predictionDrift") ? item.get("predictionDrift").bool() : null,
                RegistryItems.number(item, "referenceRows"), RegistryItems.number(item, "currentRows"),
                item.get("jsonUri").s(), item.get("htmlUri").s(), item.get("decision").s());
    }

    private static String pk(String modelName) {
        return "DRIFT#" + modelName;
    }

    private static String sk(String reportId) {
        return "REPORT#" + reportId;
    }
}
