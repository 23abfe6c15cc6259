package io.capstan.drift.function;

import io.capstan.drift.distributed.DistributedChecks;
import io.capstan.drift.distributed.DriftProfileTasks;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.storage.S3DriftStorage;
import io.capstan.http.RouteTable;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.store.dynamodb.DynamoDbDriftStore;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The drift checks on the single table and the buckets, built in this one place for the drift function's Lambda
 * entry point and the embedded platform; each passes where metrics and retraining go.
 *
 * @param monitor      runs checks, on the schedule or on request
 * @param function     the drift API, sharing the monitor
 * @param profileTasks the profile state machine's tasks (distributed checks), sharing the monitor
 */
public record DriftServices(DriftMonitor monitor, DriftFunction function, DriftProfileTasks profileTasks) {

    /** Every dataset checked in this function: no distributed checks. */
    public static DriftServices create(DynamoDbClient dynamoDb, String table, S3Client s3, DriftBuckets buckets,
                                       RetrainingStarter retraining, DriftMetrics metrics, Clock clock) {
        return create(dynamoDb, table, s3, buckets, retraining, metrics, clock, Optional.empty());
    }

    /** @param distribution where datasets too large for this function are checked; empty for nowhere */
    public static DriftServices create(DynamoDbClient dynamoDb, String table, S3Client s3, DriftBuckets buckets,
                                       RetrainingStarter retraining, DriftMetrics metrics, Clock clock,
                                       Optional<DistributedChecks.Distribution> distribution) {
        S3DriftStorage storage = new S3DriftStorage(s3);
        DynamoDbDriftStore store = new DynamoDbDriftStore(dynamoDb, table);
        DriftMonitor monitor = new DriftMonitor(new DynamoDbRegistryStore(dynamoDb, table), storage, store, metrics,
                retraining, buckets, clock, distribution.map(d -> new DistributedChecks(storage, buckets, d)));
        return new DriftServices(monitor, new DriftFunction(monitor, store, storage, RouteTable.capstan()),
                new DriftProfileTasks(storage, monitor, buckets));
    }
}
