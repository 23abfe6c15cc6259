package io.capstan.infra.storage;

import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.TableDefinition;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The stateful stack: one DynamoDB table and the S3 buckets, all retained when the stack is deleted, plus a
 * bucket receiving the buckets' server access logs, and Athena's tables over the capture bucket's prediction records
 * ({@link QualityQueryTables}). Buckets named in {@link StorageDefinitions#eventBridgeBuckets()}
 * send their object events to EventBridge. CDK names every resource; functions learn the names from environment
 * variables.
 */
public final class StorageStack extends Stack {

    /** Incomplete multipart uploads (large artifacts, datasets) are aborted after this many days. */
    public static final int ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7;
    /** Server access logs are kept this many days. */
    public static final int ACCESS_LOG_EXPIRY_DAYS = 365;
    /**
     * In a versioned bucket (artifacts, datasets), a version replaced or deleted is kept this many days, then
     * expires: long enough to undo a mistake, short enough that overwritten datasets and models stop costing.
     */
    public static final int NONCURRENT_VERSION_EXPIRY_DAYS = 30;
    /**
     * Traffic sketches under {@code capture/} of the capture bucket are kept this many days: longer than the widest
     * window a drift check reads (31 days).
     */
    public static final int CAPTURE_SKETCH_EXPIRY_DAYS = 90;
    /** Drift reports under {@code reports/} of the capture bucket are kept this many days. */
    public static final int DRIFT_REPORT_EXPIRY_DAYS = 365;
    /**
     * Prediction records ({@code predictions/}) and ground truth ({@code feedback/}) are kept this many days: a quality
     * window (at most 31 days) plus labels that arrive months late.
     */
    public static final int PREDICTION_RECORD_EXPIRY_DAYS = 180;
    /** Objects that expire in a bucket, by key prefix: what accumulates without end unless something deletes it. */
    public static final Map<BucketDefinition, Map<String, Integer>> EXPIRY_DAYS_BY_PREFIX = Map.of(
            BucketDefinition.CAPTURE, Map.of(
                    KeyPrefixes.CAPTURE, CAPTURE_SKETCH_EXPIRY_DAYS,
                    KeyPrefixes.REPORTS, DRIFT_REPORT_EXPIRY_DAYS,
                    KeyPrefixes.PREDICTIONS, PREDICTION_RECORD_EXPIRY_DAYS,
                    KeyPrefixes.FEEDBACK, PREDICTION_RECORD_EXPIRY_DAYS,
                    KeyPrefixes.QUALITY, DRIFT_REPORT_EXPIRY_DAYS));

    private final TableDefinition tableDefinition;
    private final Table table;
    private final Bucket accessLogBucket;
    private final Map<BucketDefinition, IBucket> buckets = new LinkedHashMap<>();
    private final Set<BucketDefinition> eventBridgeBuckets;
    private final Optional<QualityQueryTables> qualityQueries;

    public StorageStack(Construct scope, String id, StorageDefinitions definitions) {
        super(scope, id, StackProps.builder()
                .description("Capstan storage (stateful, retained on delete): metadata table and S3 buckets")
                .build());
        this.tableDefinition = definitions.table();
        this.eventBridgeBuckets = definitions.eventBridgeBuckets();
        this.table = createTable(definitions.table());
        this.accessLogBucket = createAccessLogBucket();
        for (BucketDefinition definition : definitions.buckets()) {
            buckets.put(definition, createDataBucket(definition, eventBridgeBuckets.contains(definition)));
        }
        this.qualityQueries = Optional.ofNullable(buckets.get(BucketDefinition.CAPTURE)).map(capture ->
                new QualityQueryTables(this, "QualityQueries", capture, accessLogBucket));
        // a retained bucket keeps its TLS-only and log-delivery policy
        for (IBucket bucket : allBuckets()) {
            bucket.getPolicy().applyRemovalPolicy(RemovalPolicy.RETAIN);
        }
    }

    public ITable table() {
        return table;
    }

    /**
     * @throws IllegalArgumentException when this stack has no bucket for {@code definition}
     */
    public IBucket bucket(BucketDefinition definition) {
        return resources().bucket(definition);
    }

    /** The bucket receiving every data bucket's server access logs. */
    public IBucket accessLogBucket() {
        return accessLogBucket;
    }

    /** The table and buckets, for the stacks that use them. */
    public StorageResources resources() {
        return new StorageResources(tableDefinition, table, buckets, eventBridgeBuckets, qualityQueries);
    }

    private List<IBucket> allBuckets() {
        List<IBucket> all = new ArrayList<>(buckets.values());
        all.add(accessLogBucket);
        return all;
    }

    private Table createTable(TableDefinition definition) {
        Table created = Table.Builder.create(this, definition.logicalName())
                .partitionKey(stringAttribute(definition.partitionKey()))
                .sortKey(stringAttribute(definition.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableDefinition.GlobalIndex index : definition.globalIndexes()) {
            created.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(stringAttribute(index.partitionKey()))
                    .sortKey(stringAttribute(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        return created;
    }

    private Bucket createAccessLogBucket() {
        Bucket logs = Bucket.Builder.create(this, "access-logs")
                // server access log delivery writes with SSE-S3; SSE-KMS targets are not supported
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(ACCESS_LOG_EXPIRY_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        NagSuppressions.addResourceSuppressions(logs, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This is the server access log bucket of Capstan's buckets; logging its own access would "
                        + "write logs about log delivery, without end.")
                .build()), true);
        return logs;
    }

    private Bucket createDataBucket(BucketDefinition definition, boolean sendEventsToEventBridge) {
        Bucket bucket = Bucket.Builder.create(this, definition.logicalName())
                .encryption(BucketEncryption.S3_MANAGED)
                .versioned(definition.versioned())
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .lifecycleRules(lifecycleRules(definition))
                .serverAccessLogsBucket(accessLogBucket)
                .serverAccessLogsPrefix(definition.logicalName() + "/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        if (sendEventsToEventBridge) {
            // Set on the bucket itself rather than with Bucket.eventBridgeEnabled, which adds a custom resource (a
            // Lambda function with a managed-policy role) to write the same setting after the bucket exists.
            ((CfnBucket) bucket.getNode().getDefaultChild()).setNotificationConfiguration(
                    CfnBucket.NotificationConfigurationProperty.builder()
                            .eventBridgeConfiguration(CfnBucket.EventBridgeConfigurationProperty.builder()
                                    .eventBridgeEnabled(true)
                                    .build())
                            .build());
        }
        return bucket;
    }

    /**
     * Every bucket aborts incomplete multipart uploads; a versioned one expires the versions it no longer serves (and
     * the delete markers left with no version behind them); {@link #EXPIRY_DAYS_BY_PREFIX} expires what accumulates.
     */
    static List<LifecycleRule> lifecycleRules(BucketDefinition definition) {
        List<LifecycleRule> rules = new ArrayList<>();
        rules.add(LifecycleRule.builder()
                .id("abort-incomplete-multipart-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS))
                .build());
        if (definition.versioned()) {
            rules.add(LifecycleRule.builder()
                    .id("expire-noncurrent-versions")
                    .noncurrentVersionExpiration(Duration.days(NONCURRENT_VERSION_EXPIRY_DAYS))
                    .expiredObjectDeleteMarker(true)
                    .build());
        }
        new TreeMap<>(EXPIRY_DAYS_BY_PREFIX.getOrDefault(definition, Map.of())).forEach((prefix, days) ->
                rules.add(LifecycleRule.builder()
                        .id("expire-" + prefix.replace("/", ""))
                        .prefix(prefix)
                        .expiration(Duration.days(days))
                        .build()));
        return rules;
    }

    private static Attribute stringAttribute(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }
}
