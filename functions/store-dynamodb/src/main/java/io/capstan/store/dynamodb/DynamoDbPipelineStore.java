package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.n;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.pipeline.ApprovalRequest;
import io.capstan.pipeline.ExecutionEvent;
import io.capstan.pipeline.PipelineExecution;
import io.capstan.pipeline.PipelineStore;
import io.capstan.pipeline.UploadClaim;
import io.capstan.store.dynamodb.internal.BatchWrites;
import io.capstan.store.dynamodb.internal.RegistryItems;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The pipeline's items in the single table (docs/STORAGE.md): upload claims keyed by object version, approval
 * requests and local executions under the model's pipeline partition, execution histories in their own partition.
 */
public final class DynamoDbPipelineStore implements PipelineStore {
    private static final String NOT_EXISTS = "attribute_not_exists(pk)";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final AtomicLong sequence = new AtomicLong();

    public DynamoDbPipelineStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public boolean claimUpload(UploadClaim claim) {
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).conditionExpression(NOT_EXISTS).item(Map.of(
                    PK, s(uploadPk(claim)), SK, s(uploadSk(claim)), "execution", s(claim.execution()),
                    "claimId", s(claim.claimId()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean releaseUpload(UploadClaim claim) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName).key(Map.of(PK, s(uploadPk(claim)), SK, s(uploadSk(claim))))
                    .conditionExpression("claimId = :claimId")
                    .expressionAttributeValues(Map.of(":claimId", s(claim.claimId()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static String uploadPk(UploadClaim claim) {
        return "UPLOAD#" + claim.bucket() + "/" + claim.key();
    }

    private static String uploadSk(UploadClaim claim) {
        return "V#" + claim.objectVersion();
    }

    @Override
    public void putApproval(ApprovalRequest r) {
        dynamoDb.putItem(b -> b.tableName(tableName).item(approvalItem(r)));
    }

    @Override
    public Optional<ApprovalRequest> approval(String modelName, String execution) {
        return get(pipelinePk(modelName), "APPROVAL#" + execution).map(item -> new ApprovalRequest(modelName,
                execution, RegistryItems.number(item, "version"), item.get("token").s(), item.get("summary").s(),
                item.get("status").s(), item.get("decidedBy").s(), item.get("reason").s()));
    }

    @Override
    public boolean decideApproval(ApprovalRequest decided) {
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(approvalItem(decided))
                    .conditionExpression("#status = :pending")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", s(ApprovalRequest.PENDING))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void putExecution(PipelineExecution e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pipelinePk(e.modelName())));
        item.put(SK, s("EXEC#" + e.name()));
        item.put("name", s(e.name()));
        item.put("status", s(e.status()));
        item.put("startTime", n(e.startTime()));
        if (e.stopTime() != null) {
            item.put("stopTime", n(e.stopTime()));
        }
        item.put("trigger", s(e.trigger()));
        item.put("error", s(e.error()));
        item.put("cause", s(e.cause()));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    @Override
    public Optional<PipelineExecution> execution(String modelName, String name) {
        return get(pipelinePk(modelName), "EXEC#" + name).map(item -> toExecution(modelName, item));
    }

    @Override
    public List<PipelineExecution> executions(String modelName) {
        return query(pipelinePk(modelName), "EXEC#").stream().map(item -> toExecution(modelName, item))
                .sorted(Comparator.comparingLong(PipelineExecution::startTime).reversed()).toList();
    }

    @Override
    public void appendEvents(String modelName, String execution, List<ExecutionEvent> events) {
        List<WriteRequest> puts = new ArrayList<>();
        for (ExecutionEvent e : events) {
            Map<String, AttributeValue> item = Map.of(PK, s(historyPk(modelName, execution)),
                    SK, s(String.format("EV#%013d#%09d", e.timestamp(), sequence.incrementAndGet())),
                    "timestamp", n(e.timestamp()), "type", s(e.type()), "state", s(e.state()), "error", s(e.error()),
                    "cause", s(e.cause()));
            puts.add(WriteRequest.builder().putRequest(p -> p.item(item)).build());
        }
        BatchWrites.write(dynamoDb, tableName, puts);
    }

    @Override
    public List<ExecutionEvent> history(String modelName, String execution) {
        return query(historyPk(modelName, execution), "EV#").stream().map(item -> new ExecutionEvent(
                RegistryItems.number(item, "timestamp"), item.get("type").s(), item.get("state").s(),
                item.get("error").s(), item.get("cause").s())).toList();
    }

    private Map<String, AttributeValue> approvalItem(ApprovalRequest r) {
        return Map.of(PK, s(pipelinePk(r.modelName())), SK, s("APPROVAL#" + r.execution()), "version", n(r.version()),
                "token", s(r.token()), "summary", s(r.summary()), "status", s(r.status()), "decidedBy", s(r.decidedBy()),
                "reason", s(r.reason()));
    }

    private static PipelineExecution toExecution(String modelName, Map<String, AttributeValue> item) {
        return new PipelineExecution(modelName, item.get("name").s(), item.get("status").s(),
                RegistryItems.number(item, "startTime"),
                item.containsKey("stopTime") ? RegistryItems.number(item, "stopTime") : null, item.get("trigger").s(),
                item.get("error").s(), item.get("cause").s());
    }

    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(pk), SK, s(sk)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    private List<Map<String, AttributeValue>> query(String pk, String prefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.queryPaginator(QueryRequest.builder().tableName(tableName).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(prefix))).build())
                .items().forEach(items::add);
        return items;
    }

    private static String pipelinePk(String modelName) {
        return "PIPELINE#" + modelName;
    }

    private static String historyPk(String modelName, String execution) {
        return "PIPELINE#" + modelName + "#" + execution;
    }
}
