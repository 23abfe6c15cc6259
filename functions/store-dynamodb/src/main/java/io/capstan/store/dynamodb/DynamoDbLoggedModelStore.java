package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.error.CapstanException;
import io.capstan.storage.RandomSuffixes;
import io.capstan.store.dynamodb.internal.BatchWrites;
import io.capstan.store.dynamodb.internal.ExperimentPointers;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.LoggedModelItems;
import io.capstan.store.dynamodb.internal.Transactions;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelStore;
import io.capstan.tracking.ModelMetric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Logged models in the single table (layout in docs/STORAGE.md), laid out as runs are: the model item (info, tags,
 * params) in its experiment's partition beside the run summaries, so one query lists an experiment's models; a
 * pointer item from the model id to the experiment; and metric segments in the model's own partition, one (or more,
 * past 300 KB) per log call. Updates rewrite the model item under an optimistic version check; metric points are
 * appended without reading, and a row logged twice (same key, timestamp, step and run) is read back once.
 */
public final class DynamoDbLoggedModelStore implements LoggedModelStore {

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final ExperimentPointers pointers;

    public DynamoDbLoggedModelStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.pointers = new ExperimentPointers(dynamoDb, tableName, Keys::loggedModelPk, Keys.LOGGED_MODEL_POINTER_SK);
    }

    @Override
    public void insert(LoggedModel model) {
        String modelId = model.modelId();
        List<TransactWriteItem> actions = List.of(
                put(Map.of(PK, s(Keys.loggedModelPk(modelId)), SK, s(Keys.LOGGED_MODEL_POINTER_SK),
                        "experimentId", s(model.experimentId())), "attribute_not_exists(pk)", Map.of()),
                put(LoggedModelItems.toItem(model, 1), "attribute_not_exists(pk)", Map.of()));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(actions));
        } catch (TransactionCanceledException e) {
            if (Transactions.onlyConditionFailures(e)) {
                throw CapstanException.alreadyExists("Logged model with ID '" + modelId + "' already exists.");
            }
            throw e;
        }
        pointers.remember(modelId, model.experimentId());
    }

    @Override
    public Optional<LoggedModel> get(String modelId) {
        return readItem(modelId).map(item -> LoggedModelItems.toModel(item).withMetrics(metrics(modelId)));
    }

    @Override
    public LoggedModel update(String modelId, UnaryOperator<LoggedModel> change) {
        for (int attempt = 0; attempt < Transactions.MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = readItem(modelId).orElseThrow(() -> notFound(modelId));
            LoggedModel before = LoggedModelItems.toModel(item);
            LoggedModel after = change.apply(before);
            long version = LoggedModelItems.version(item);
            if (after.equals(before) || putIfVersion(LoggedModelItems.toItem(after, version + 1), version)) {
                return after.withMetrics(metrics(modelId));
            }
            Transactions.backOff(attempt);
        }
        throw Transactions.tooMuchContention("logged model " + modelId);
    }

    @Override
    public void logMetrics(List<ModelMetric> points) {
        Map<String, List<ModelMetric>> byModel = new LinkedHashMap<>();
        points.forEach(p -> byModel.computeIfAbsent(p.modelId(), k -> new ArrayList<>()).add(p));
        List<Map<String, AttributeValue>> segments = new ArrayList<>();
        byModel.forEach((modelId, modelPoints) -> {
            if (experimentOf(modelId).isEmpty()) {
                return; // MLflow's server accepts and drops points of models it does not know
            }
            // sorted by write time, in calling order within a millisecond (so of a row logged twice the first
            // stays), unique across concurrent writers
            String callId = String.format("%012x", System.currentTimeMillis()) + RandomSuffixes.sequenced();
            List<String> jsonSegments = LoggedModelItems.segments(modelPoints);
            for (int i = 0; i < jsonSegments.size(); i++) {
                segments.add(Map.of(PK, s(Keys.loggedModelPk(modelId)),
                        SK, s(Keys.LOGGED_MODEL_METRICS_PREFIX + callId + String.format("%04x", i)),
                        "p", s(jsonSegments.get(i))));
            }
        });
        BatchWrites.put(dynamoDb, tableName, segments);
    }

    @Override
    public List<LoggedModel> listByExperiment(String experimentId) {
        List<LoggedModel> models = new ArrayList<>();
        query(Keys.experimentRunsPk(experimentId), Keys.LOGGED_MODEL_PREFIX)
                .forEach(item -> models.add(LoggedModelItems.toModel(item)));
        return models;
    }

    @Override
    public List<ModelMetric> metrics(String modelId) {
        List<ModelMetric> points = new ArrayList<>();
        Set<List<Object>> rows = new HashSet<>();
        query(Keys.loggedModelPk(modelId), Keys.LOGGED_MODEL_METRICS_PREFIX).forEach(segment -> {
            for (ModelMetric p : LoggedModelItems.fromSegment(modelId, segment.get("p").s())) {
                if (rows.add(List.of(p.point().key(), p.point().timestamp(), p.point().step(), p.runId()))) {
                    points.add(p);
                }
            }
        });
        return points;
    }

    private Iterable<Map<String, AttributeValue>> query(String pk, String skPrefix) {
        QueryRequest query = QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(skPrefix)))
                .build();
        return dynamoDb.queryPaginator(query).items();
    }

    private Optional<Map<String, AttributeValue>> readItem(String modelId) {
        Optional<String> experimentId = experimentOf(modelId);
        if (experimentId.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(Keys.experimentRunsPk(experimentId.get())), SK, s(Keys.loggedModelSk(modelId)))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private Optional<String> experimentOf(String modelId) {
        return pointers.experimentOf(modelId);
    }

    private boolean putIfVersion(Map<String, AttributeValue> item, long version) {
        return Transactions.write(dynamoDb, List.of(put(item, "ver = :v",
                Map.of(":v", AttributeValue.fromN(Long.toString(version))))), DynamoDbLoggedModelStore::tooLarge);
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition,
                                  Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(p -> {
            p.tableName(tableName).item(item).conditionExpression(condition);
            if (!values.isEmpty()) {
                p.expressionAttributeValues(values);
            }
        }).build();
    }

    /** DynamoDB refused the item itself: in practice tags and params outgrowing 400 KB. */
    private static CapstanException tooLarge(DynamoDbException e) {
        return CapstanException.invalidParameter("The logged model cannot hold this data: DynamoDB refused the write ("
                + e.awsErrorDetails().errorMessage() + "). A logged model's tags and params together are limited to"
                + " about 400 KB.");
    }

    private static CapstanException notFound(String modelId) {
        return CapstanException.notFound("Logged model with ID '" + modelId + "' not found.");
    }
}
