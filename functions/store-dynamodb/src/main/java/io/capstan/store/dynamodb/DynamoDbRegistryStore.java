package io.capstan.store.dynamodb;

import static io.capstan.store.dynamodb.internal.Keys.PK;
import static io.capstan.store.dynamodb.internal.Keys.SK;
import static io.capstan.store.dynamodb.internal.RunItems.n;
import static io.capstan.store.dynamodb.internal.RunItems.s;

import io.capstan.error.CapstanException;
import io.capstan.registry.AuditEvent;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryChange;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import io.capstan.storage.RandomSuffixes;
import io.capstan.store.dynamodb.internal.BatchReads;
import io.capstan.store.dynamodb.internal.BatchWrites;
import io.capstan.store.dynamodb.internal.Keys;
import io.capstan.store.dynamodb.internal.RegistryItems;
import io.capstan.store.dynamodb.internal.Transactions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The model registry in the single table (layout in docs/STORAGE.md). A model has an immutable internal id: its
 * item lives in the {@code MODELS} partition, its name is reserved by a separate item, and its versions and audit
 * events live in the model's own partition, so a rename touches two items however many versions there are.
 * Every write that must not be lost is conditioned on the revision counter it was computed from.
 *
 * <p>A version registered from a run also has an item in the run's partition {@code MVRUN#<run id>}, written with
 * the version, so that model-versions/search by {@code run_id} reads that run's versions, not the registry's; a table
 * written before these items is indexed on the first such search (an {@code MVRUN / READY} item records it).
 */
public final class DynamoDbRegistryStore implements RegistryStore {
    private static final System.Logger LOG = System.getLogger(DynamoDbRegistryStore.class.getName());
    private static final String NOT_EXISTS = "attribute_not_exists(pk)";
    private static final int MAX_TRANSACTION_ITEMS = 100;
    private static final String RUN_INDEX_PK = "MVRUN";

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    /** Whether this process has seen the versions indexed by run: once indexed, they stay so. */
    private volatile boolean runIndexed;

    public DynamoDbRegistryStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public void createModel(RegisteredModel model) {
        String modelId = RandomSuffixes.hex(16);
        Map<String, AttributeValue> item = new HashMap<>(RegistryItems.modelAttributes(model));
        item.put(PK, s(Keys.MODELS_PK));
        item.put(SK, s(Keys.modelSk(modelId)));
        item.put(RegistryItems.MODEL_ID, s(modelId));
        item.put(RegistryItems.NEXT_VERSION, n(0));
        item.put(RegistryItems.REVISION, n(1));
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    put(reservation(model.name(), modelId), NOT_EXISTS), put(item, NOT_EXISTS)));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                throw CapstanException.alreadyExists("Registered Model (name=" + model.name() + ") already exists.");
            }
            throw e;
        }
    }

    @Override
    public Optional<Revision<RegisteredModel>> model(String name) {
        return modelItem(name).map(item -> new Revision<>(RegistryItems.toModel(item),
                RegistryItems.number(item, RegistryItems.REVISION)));
    }

    @Override
    public List<RegisteredModel> models() {
        return query(Keys.MODELS_PK, "MODEL#").stream().map(RegistryItems::toModel)
                .sorted(Comparator.comparing(RegisteredModel::name)).toList();
    }

    @Override
    public boolean rename(Revision<RegisteredModel> current, String newName, long now) {
        String oldName = current.value().name();
        Optional<String> modelId = modelId(oldName);
        if (modelId.isEmpty()) {
            return false;
        }
        TransactWriteItem update = TransactWriteItem.builder().update(Update.builder().tableName(tableName)
                .key(modelKey(modelId.get()))
                .updateExpression("SET #name = :name, updated = :now, rev = :next")
                .conditionExpression("rev = :rev")
                .expressionAttributeNames(Map.of("#name", "name"))
                .expressionAttributeValues(Map.of(":name", s(newName), ":now", n(now),
                        ":rev", n(current.revision()), ":next", n(current.revision() + 1)))
                .build()).build();
        TransactWriteItem release = TransactWriteItem.builder().delete(Delete.builder().tableName(tableName)
                .key(Map.of(PK, s(Keys.modelNamePk(oldName)), SK, s(Keys.NAME_SK))).build()).build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(update, put(reservation(newName, modelId.get()), NOT_EXISTS),
                    release));
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 1)) {
                throw CapstanException.alreadyExists("Registered Model (name=" + newName + ") already exists.");
            }
            return false;
        }
    }

    @Override
    public void deleteModel(String name) {
        Optional<String> modelId = modelId(name);
        if (modelId.isEmpty()) {
            return;
        }
        dynamoDb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().delete(Delete.builder().tableName(tableName)
                        .key(Map.of(PK, s(Keys.modelNamePk(name)), SK, s(Keys.NAME_SK))).build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName(tableName)
                        .key(modelKey(modelId.get())).build()).build()));
        // the versions and the trail are unreachable now: the deletion stands whatever happens to them
        try {
            BatchWrites.delete(dynamoDb, tableName, query(Keys.modelPk(modelId.get()), ""));
        } catch (CapstanException e) {
            LOG.log(System.Logger.Level.WARNING, "Registered model ''{0}'' is deleted; some of its unreachable version"
                    + " and audit items remain: {1}", name, e.getMessage());
        }
    }

    @Override
    public long allocateVersion(String name) {
        String modelId = modelId(name).orElseThrow(() -> notFound(name));
        try {
            return Long.parseLong(dynamoDb.updateItem(b -> b.tableName(tableName).key(modelKey(modelId))
                    .updateExpression("ADD nextVersion :one").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", n(1))).returnValues(ReturnValue.UPDATED_NEW))
                    .attributes().get(RegistryItems.NEXT_VERSION).n());
        } catch (ConditionalCheckFailedException e) {
            throw notFound(name);
        }
    }

    @Override
    public void createVersion(ModelVersion version) {
        String modelId = modelId(version.name()).orElseThrow(() -> notFound(version.name()));
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(put(RegistryItems.versionItem(modelId, version, 1), NOT_EXISTS));
        if (!version.runId().isEmpty()) {
            actions.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                    .item(runIndexItem(version.runId(), modelId, version.version())).build()).build());
        }
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(actions));
        } catch (TransactionCanceledException e) {
            if (!Transactions.conditionFailed(e, 0)) {
                throw e;
            }
            throw CapstanException.alreadyExists("Model Version (name=" + version.name() + ", version="
                    + version.version() + ") already exists.");
        }
    }

    @Override
    public Optional<Revision<ModelVersion>> version(String name, long version) {
        return modelId(name).flatMap(id -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                    .key(Map.of(PK, s(Keys.modelPk(id)), SK, s(Keys.versionSk(version))))).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toVersion(name, item));
        });
    }

    @Override
    public List<Revision<ModelVersion>> versions(String name) {
        return modelId(name).map(id -> query(Keys.modelPk(id), Keys.VERSION_PREFIX).stream()
                .map(item -> toVersion(name, item)).toList()).orElse(List.of());
    }

    @Override
    public void deleteVersion(String name, long version) {
        modelId(name).ifPresent(id -> {
            Map<String, AttributeValue> deleted = dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(Map.of(PK, s(Keys.modelPk(id)), SK, s(Keys.versionSk(version))))
                    .returnValues(ReturnValue.ALL_OLD)).attributes();
            if (deleted != null && deleted.containsKey("runId") && !deleted.get("runId").s().isEmpty()) {
                // after the version: an item left behind names a version that is gone, which searches skip
                Map<String, AttributeValue> index = runIndexItem(deleted.get("runId").s(), id, version);
                dynamoDb.deleteItem(b -> b.tableName(tableName).key(Map.of(PK, index.get(PK), SK, index.get(SK))));
            }
        });
    }

    /**
     * Reads the run's index items, then the models and versions they name ({@code BatchGetItem}, strongly
     * consistent); an item whose version or model is gone is skipped.
     */
    @Override
    public List<Revision<ModelVersion>> versionsOfRun(String runId) {
        ensureRunIndexed();
        List<Map<String, AttributeValue>> entries = query(RUN_INDEX_PK + "#" + runId, "");
        List<Map<String, AttributeValue>> modelKeys = entries.stream().map(entry -> entry.get("modelId").s())
                .distinct().map(this::modelKey).toList();
        Map<String, Map<String, AttributeValue>> models = BatchReads.get(dynamoDb, tableName, modelKeys);
        List<Map<String, AttributeValue>> versionKeys = entries.stream().map(entry -> Map.of(
                PK, s(Keys.modelPk(entry.get("modelId").s())),
                SK, s(Keys.versionSk(Long.parseLong(entry.get("version").n()))))).toList();
        Map<String, Map<String, AttributeValue>> versions = BatchReads.get(dynamoDb, tableName, versionKeys);
        List<Revision<ModelVersion>> found = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<String, AttributeValue> model = models.get(BatchReads.key(modelKey(entries.get(i).get("modelId").s())));
            Map<String, AttributeValue> version = versions.get(BatchReads.key(versionKeys.get(i)));
            if (model != null && version != null && version.get("runId").s().equals(runId)) {
                found.add(toVersion(RegistryItems.toModel(model).name(), version));
            }
        }
        found.sort(Comparator.comparing((Revision<ModelVersion> v) -> v.value().name())
                .thenComparingLong(v -> v.value().version()));
        return found;
    }

    /**
     * Indexes the versions by run unless the {@code READY} item says they are (a table written before the index):
     * idempotent; a version created meanwhile writes its own item.
     */
    private void ensureRunIndexed() {
        if (runIndexed) {
            return;
        }
        Map<String, AttributeValue> ready = Map.of(PK, s(RUN_INDEX_PK), SK, s("READY"));
        Map<String, AttributeValue> readyItem = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(ready)).item();
        if (readyItem == null || readyItem.isEmpty()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            for (Map<String, AttributeValue> model : query(Keys.MODELS_PK, "MODEL#")) {
                String modelId = model.get(RegistryItems.MODEL_ID).s();
                for (Map<String, AttributeValue> version : query(Keys.modelPk(modelId), Keys.VERSION_PREFIX)) {
                    String runId = version.get("runId").s();
                    if (!runId.isEmpty()) {
                        items.add(runIndexItem(runId, modelId, RegistryItems.number(version, "version")));
                    }
                }
            }
            BatchWrites.put(dynamoDb, tableName, items);
            dynamoDb.putItem(b -> b.tableName(tableName).item(ready));
        }
        runIndexed = true;
    }

    private static Map<String, AttributeValue> runIndexItem(String runId, String modelId, long version) {
        return Map.of(PK, s(RUN_INDEX_PK + "#" + runId), SK, s(modelId + "#" + Keys.versionSk(version)),
                "modelId", s(modelId), "version", n(version));
    }

    @Override
    public boolean commit(RegistryChange change) {
        String name = change.model() != null ? change.model().value().name() : change.versions().get(0).value().name();
        Optional<String> modelId = modelId(name);
        if (modelId.isEmpty()) {
            return false;
        }
        List<TransactWriteItem> actions = new ArrayList<>();
        if (change.model() != null) {
            actions.add(modelUpdate(modelId.get(), change.model()));
        }
        for (Revision<ModelVersion> v : change.versions()) {
            actions.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName)
                    .item(RegistryItems.versionItem(modelId.get(), v.value(), v.revision() + 1))
                    .conditionExpression("rev = :rev").expressionAttributeValues(Map.of(":rev", n(v.revision())))
                    .build()).build());
        }
        for (AuditEvent event : change.audit()) {
            actions.add(put(RegistryItems.auditItem(modelId.get(), event, unique()), NOT_EXISTS));
        }
        if (actions.size() > MAX_TRANSACTION_ITEMS) {
            throw CapstanException.invalidParameter("This change touches " + actions.size() + " registry items; one"
                    + " change can touch at most " + MAX_TRANSACTION_ITEMS + ".");
        }
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(actions));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    @Override
    public void appendAudit(AuditEvent event) {
        modelId(event.modelName()).ifPresent(id -> dynamoDb.putItem(b -> b.tableName(tableName)
                .item(RegistryItems.auditItem(id, event, unique()))));
    }

    @Override
    public List<AuditEvent> auditTrail(String name) {
        return modelId(name).map(id -> query(Keys.modelPk(id), Keys.AUDIT_PREFIX).stream()
                .map(item -> RegistryItems.toAudit(name, item)).toList()).orElse(List.of());
    }

    private TransactWriteItem modelUpdate(String modelId, Revision<RegisteredModel> model) {
        Map<String, AttributeValue> attributes = RegistryItems.modelAttributes(model.value());
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : attributes.entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":v" + i, attribute.getValue());
            sets.add("#a" + i + " = :v" + i);
            i++;
        }
        values.put(":rev", n(model.revision()));
        values.put(":next", n(model.revision() + 1));
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName).key(modelKey(modelId))
                .updateExpression("SET " + String.join(", ", sets) + ", rev = :next")
                .conditionExpression("rev = :rev").expressionAttributeNames(names).expressionAttributeValues(values)
                .build()).build();
    }

    private Revision<ModelVersion> toVersion(String name, Map<String, AttributeValue> item) {
        return new Revision<>(RegistryItems.toVersion(name, item), RegistryItems.number(item, RegistryItems.REVISION));
    }

    private Optional<Map<String, AttributeValue>> modelItem(String name) {
        return modelId(name).flatMap(id -> {
            Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                    .key(modelKey(id))).item();
            // a rename between the two reads: the model is no longer called that
            return item == null || item.isEmpty() || !item.get("name").s().equals(name) ? Optional.empty()
                    : Optional.of(item);
        });
    }

    private Optional<String> modelId(String name) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).consistentRead(true)
                .key(Map.of(PK, s(Keys.modelNamePk(name)), SK, s(Keys.NAME_SK)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get(RegistryItems.MODEL_ID).s());
    }

    private List<Map<String, AttributeValue>> query(String pk, String skPrefix) {
        QueryRequest request = skPrefix.isEmpty()
                ? QueryRequest.builder().tableName(tableName).consistentRead(true).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(pk))).build()
                : QueryRequest.builder().tableName(tableName).consistentRead(true)
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":prefix", s(skPrefix))).build();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamoDb.queryPaginator(request).items().forEach(items::add);
        return items;
    }

    private Map<String, AttributeValue> reservation(String name, String modelId) {
        return Map.of(PK, s(Keys.modelNamePk(name)), SK, s(Keys.NAME_SK), RegistryItems.MODEL_ID, s(modelId));
    }

    private Map<String, AttributeValue> modelKey(String modelId) {
        return Map.of(PK, s(Keys.MODELS_PK), SK, s(Keys.modelSk(modelId)));
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression(condition).build()).build();
    }

    private static CapstanException notFound(String name) {
        return CapstanException.notFound("Registered Model with name=" + name + " not found");
    }

    private static String unique() {
        return RandomSuffixes.sequenced();
    }
}
