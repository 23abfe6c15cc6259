package io.capstan.store.dynamodb;

import io.capstan.tracking.TrackingService;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The tracking service on the single table: experiments, runs and logged models, as every function reads them. */
public final class DynamoDbTracking {
    private DynamoDbTracking() {
    }

    /** Tracking on {@code table}, with MLflow 3's logged models. */
    public static TrackingService service(DynamoDbClient dynamoDb, String table, Clock clock) {
        return new TrackingService(new DynamoDbExperimentStore(dynamoDb, table), new DynamoDbRunStore(dynamoDb, table),
                new DynamoDbLoggedModelStore(dynamoDb, table), clock);
    }
}
