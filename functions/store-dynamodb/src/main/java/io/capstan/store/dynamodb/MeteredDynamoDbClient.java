package io.capstan.store.dynamodb;

import io.capstan.store.dynamodb.internal.ItemSizes;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * A {@link DynamoDbClient} that counts what each call reads and writes into the {@link DynamoDbUsage} being measured
 * on the calling thread, and passes the call on. It serves the calls Capstan's stores make; any other call is
 * refused by the interface's defaults. Used by the local platform's Lambda-path mode and the search benchmark.
 */
public final class MeteredDynamoDbClient implements DynamoDbClient {
    private final DynamoDbClient client;

    public MeteredDynamoDbClient(DynamoDbClient client) {
        this.client = client;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        GetItemResponse response = client.getItem(request);
        long bytes = response.hasItem() ? ItemSizes.of(response.item()) : 0;
        read(response.hasItem() ? 1 : 0, bytes, ItemSizes.readUnits(bytes));
        return response;
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        QueryResponse response = client.query(request);
        long bytes = response.items().stream().mapToLong(ItemSizes::of).sum();
        read(response.items().size(), bytes, ItemSizes.readUnits(bytes));
        return response;
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        ScanResponse response = client.scan(request);
        long bytes = response.items().stream().mapToLong(ItemSizes::of).sum();
        read(response.items().size(), bytes, ItemSizes.readUnits(bytes));
        return response;
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        BatchGetItemResponse response = client.batchGetItem(request);
        long items = 0;
        long bytes = 0;
        double units = 0;
        for (List<Map<String, AttributeValue>> table : response.responses().values()) {
            for (Map<String, AttributeValue> item : table) {
                long size = ItemSizes.of(item);
                items++;
                bytes += size;
                units += ItemSizes.readUnits(size);
            }
        }
        read(items, bytes, units);
        return response;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        PutItemResponse response = client.putItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        written(1, units(response.consumedCapacity()));
        return response;
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        UpdateItemResponse response = client.updateItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        written(1, units(response.consumedCapacity()));
        return response;
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        DeleteItemResponse response = client.deleteItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        written(1, units(response.consumedCapacity()));
        return response;
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        BatchWriteItemResponse response = client.batchWriteItem(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        long requested = request.requestItems().values().stream().mapToLong(List::size).sum();
        long left = response.unprocessedItems().values().stream().mapToLong(List::size).sum();
        written(requested - left, response.consumedCapacity().stream().mapToDouble(this::units).sum());
        return response;
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        // a cancelled transaction throws and is not counted: DynamoDB bills it, but a retry is counted when it commits
        TransactWriteItemsResponse response = client.transactWriteItems(request.toBuilder()
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        written(request.transactItems().size(), response.consumedCapacity().stream().mapToDouble(this::units).sum());
        return response;
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return client.createTable(request);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return client.describeTable(request);
    }

    @Override
    public DynamoDbWaiter waiter() {
        return client.waiter();
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return client.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return client.serviceName();
    }

    @Override
    public void close() {
        client.close();
    }

    private double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    private static void read(long items, long bytes, double units) {
        DynamoDbUsage.record(new DynamoDbUsage(1, items, bytes, units, 0, 0));
    }

    private static void written(long items, double units) {
        DynamoDbUsage.record(new DynamoDbUsage(1, 0, 0, 0, items, units));
    }
}
