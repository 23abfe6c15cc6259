package io.capstan.store.dynamodb;

import io.capstan.tracking.RunStore;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The tracking service on the single table: experiments, runs and logged models, as every function reads them. */
public final class DynamoDbTracking {
    private DynamoDbTracking() {
    }

    /** Tracking on {@code table}, with MLflow 3's logged models. */
    public static TrackingService service(DynamoDbClient dynamoDb, String table, Clock clock) {
        return service(dynamoDb, table, clock, UnaryOperator.identity());
    }

    /**
     * Tracking on {@code table} with the run store wrapped, as the embedded platform caches run summaries in the
     * process that owns its data directory.
     */
    public static TrackingService service(DynamoDbClient dynamoDb, String table, Clock clock,
                                          UnaryOperator<RunStore> runs) {
        return new TrackingService(new DynamoDbExperimentStore(dynamoDb, table),
                runs.apply(new DynamoDbRunStore(dynamoDb, table)), new DynamoDbLoggedModelStore(dynamoDb, table), clock);
    }
}
