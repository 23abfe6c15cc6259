package io.capstan.tracking.function;

import io.capstan.http.RouteTable;
import io.capstan.store.dynamodb.DynamoDbTracking;
import io.capstan.store.s3.S3ArtifactStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.S3ProxyFixture;
import io.capstan.tracking.TrackingService;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The tracking function on real engines, in process: DynamoDB Local (embedded, in memory) and S3Proxy (transient
 * blob store on a free loopback port).
 */
public final class TrackingTestPlatform implements AutoCloseable {
    public static final String TABLE = "capstan-test";
    public static final String BUCKET = "capstan-artifacts";

    private final DynamoDbLocalTable table;
    private final S3ProxyFixture s3;
    public final DynamoDbClient dynamoDb;
    public final TrackingFunction function;
    public final TrackingService tracking;
    /** The artifact store behind the function, for what clients cannot write (the registry's copies). */
    public final S3ArtifactStore artifacts;

    public TrackingTestPlatform() throws Exception {
        table = new DynamoDbLocalTable(TABLE);
        dynamoDb = table.client;
        s3 = S3ProxyFixture.transientStore();
        s3.client().createBucket(b -> b.bucket(BUCKET));
        artifacts = new S3ArtifactStore(s3.client(), s3.presigner(), BUCKET);
        tracking = DynamoDbTracking.service(dynamoDb, TABLE, Clock.systemUTC());
        tracking.ensureDefaultExperiment();
        function = new TrackingFunction(tracking, artifacts, RouteTable.capstan());
    }

    @Override
    public void close() throws Exception {
        s3.close();
        table.close();
    }
}
