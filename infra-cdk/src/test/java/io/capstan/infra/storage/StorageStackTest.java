package io.capstan.infra.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.infra.CapstanApp;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.TableDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

class StorageStackTest {

    private static final TableDefinition TABLE = TableDefinition.METADATA;

    private static final TableDefinition.GlobalIndex INDEX = new TableDefinition.GlobalIndex("gsi1", "gsi1pk", "gsi1sk");

    private static StorageStack stack;
    private static Template template;
    private static Template indexedTemplate;

    @BeforeAll
    static void synthesize() {
        App app = CapstanApp.newApp(Map.of());
        stack = new StorageStack(app, "Storage", StorageDefinitions.capstan());
        StorageStack indexed = new StorageStack(app, "IndexedStorage", new StorageDefinitions(
                new TableDefinition("indexed", "pk", "sk", List.of(INDEX), "CAPSTAN_TABLE"), BucketDefinition.all()));
        template = Template.fromStack(stack);
        indexedTemplate = Template.fromStack(indexed);
    }

    static List<BucketDefinition> buckets() {
        return BucketDefinition.all();
    }

    @Test
    void table_keys_comeFromTableDefinition() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "KeySchema", List.of(
                        Map.of("AttributeName", TABLE.partitionKey(), "KeyType", "HASH"),
                        Map.of("AttributeName", TABLE.sortKey(), "KeyType", "RANGE")),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", TABLE.partitionKey(), "AttributeType", "S"),
                        Map.of("AttributeName", TABLE.sortKey(), "AttributeType", "S")))));
        template.resourceCountIs("AWS::DynamoDB::Table", 1);
    }

    @Test
    void table_isOnDemandWithPointInTimeRecoveryAndKmsEncryption() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                "SSESpecification", Map.of("SSEEnabled", true),
                "DeletionProtectionEnabled", true));
    }

    @Test
    void table_globalIndexes_comeFromTableDefinitionWithStringKeysAndAllAttributes() {
        indexedTemplate.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "GlobalSecondaryIndexes", List.of(Map.of(
                        "IndexName", INDEX.name(),
                        "KeySchema", List.of(
                                Map.of("AttributeName", INDEX.partitionKey(), "KeyType", "HASH"),
                                Map.of("AttributeName", INDEX.sortKey(), "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))),
                "AttributeDefinitions", Match.arrayWith(List.of(
                        Map.of("AttributeName", INDEX.partitionKey(), "AttributeType", "S"),
                        Map.of("AttributeName", INDEX.sortKey(), "AttributeType", "S")))));
    }

    @Test
    void table_hasNoPhysicalName() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", Match.absent()));
    }

    @Test
    void table_isRetainedOnDeleteAndReplace() {
        template.hasResource("AWS::DynamoDB::Table", Map.of(
                "DeletionPolicy", "Retain", "UpdateReplacePolicy", "Retain"));
    }

    @Test
    void buckets_onePerDefinitionPlusTheAccessLogAndAthenaResultBuckets() {
        template.resourceCountIs("AWS::S3::Bucket", BucketDefinition.all().size() + 2);
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_isEncryptedPrivateAndRetained(BucketDefinition definition) {
        Map<String, Object> bucket = resource(stack.bucket(definition));

        assertThat(bucket).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
        Map<String, Object> properties = properties(bucket);
        assertThat(properties).doesNotContainKey("BucketName");
        assertThat(properties.get("BucketEncryption")).isEqualTo(Map.of("ServerSideEncryptionConfiguration",
                List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))));
        assertThat(properties.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_isVersionedAsItsDefinitionSays(BucketDefinition definition) {
        Map<String, Object> properties = properties(resource(stack.bucket(definition)));

        if (definition.versioned()) {
            assertThat(properties.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        } else {
            assertThat(properties).doesNotContainKey("VersioningConfiguration");
        }
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_abortsIncompleteMultipartUploadsAfterSevenDays(BucketDefinition definition) {
        Map<String, Object> properties = properties(resource(stack.bucket(definition)));

        assertThat(properties.get("LifecycleConfiguration")).asString()
                .contains("AbortIncompleteMultipartUpload={DaysAfterInitiation=7}")
                .contains("Status=Enabled");
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_versioned_expiresNoncurrentVersionsAfterThirtyDaysAndItsOrphanedDeleteMarkers(
            BucketDefinition definition) {
        List<Map<String, Object>> rules = lifecycleRules(definition);

        List<Map<String, Object>> noncurrent = rules.stream()
                .filter(rule -> rule.containsKey("NoncurrentVersionExpiration")).toList();
        if (definition.versioned()) {
            assertThat(noncurrent).singleElement().satisfies(rule -> assertThat(rule)
                    .containsEntry("Status", "Enabled")
                    .containsEntry("NoncurrentVersionExpiration", Map.of("NoncurrentDays",
                            StorageStack.NONCURRENT_VERSION_EXPIRY_DAYS))
                    .containsEntry("ExpiredObjectDeleteMarker", true)
                    .doesNotContainKeys("Prefix", "ExpirationInDays"));
        } else {
            assertThat(noncurrent).isEmpty();
        }
    }

    @Test
    void captureBucket_expiresSketchesAfterNinetyDays_predictionRecordsAfterHalfAYear_andReportsAfterAYear() {
        List<Map<String, Object>> rules = lifecycleRules(BucketDefinition.CAPTURE);

        assertThat(rules).filteredOn(rule -> rule.containsKey("ExpirationInDays"))
                .extracting(rule -> rule.get("Prefix") + "=" + rule.get("ExpirationInDays"))
                .containsExactlyInAnyOrder(KeyPrefixes.CAPTURE + "=" + StorageStack.CAPTURE_SKETCH_EXPIRY_DAYS,
                        KeyPrefixes.REPORTS + "=" + StorageStack.DRIFT_REPORT_EXPIRY_DAYS,
                        KeyPrefixes.PREDICTIONS + "=" + StorageStack.PREDICTION_RECORD_EXPIRY_DAYS,
                        KeyPrefixes.FEEDBACK + "=" + StorageStack.PREDICTION_RECORD_EXPIRY_DAYS,
                        KeyPrefixes.QUALITY + "=" + StorageStack.DRIFT_REPORT_EXPIRY_DAYS);
        assertThat(StorageStack.PREDICTION_RECORD_EXPIRY_DAYS).isEqualTo(180);
        assertThat(StorageStack.CAPTURE_SKETCH_EXPIRY_DAYS).isEqualTo(90);
        assertThat(StorageStack.DRIFT_REPORT_EXPIRY_DAYS).isEqualTo(365);
        // nothing in the artifact and dataset buckets expires while it is the current version
        for (BucketDefinition kept : List.of(BucketDefinition.ARTIFACTS, BucketDefinition.DATASETS)) {
            assertThat(lifecycleRules(kept)).noneMatch(rule -> rule.containsKey("ExpirationInDays"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lifecycleRules(BucketDefinition definition) {
        Map<String, Object> configuration = (Map<String, Object>) properties(resource(stack.bucket(definition)))
                .get("LifecycleConfiguration");
        return (List<Map<String, Object>>) configuration.get("Rules");
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_logsServerAccessToTheAccessLogBucket(BucketDefinition definition) {
        Map<String, Object> properties = properties(resource(stack.bucket(definition)));

        assertThat(properties.get("LoggingConfiguration")).isEqualTo(Map.of(
                "DestinationBucketName", Map.of("Ref", logicalId(stack.accessLogBucket())),
                "LogFilePrefix", definition.logicalName() + "/"));
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucketPolicy_deniesRequestsWithoutTls(BucketDefinition definition) {
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", logicalId(stack.bucket(definition))),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Action", "s3:*",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
    }

    @ParameterizedTest
    @MethodSource("buckets")
    void bucket_sendsObjectEventsToEventBridgeOnlyWhenDefinedSo(BucketDefinition definition) {
        Map<String, Object> properties = properties(resource(stack.bucket(definition)));

        if (StorageDefinitions.capstan().eventBridgeBuckets().contains(definition)) {
            assertThat(properties.get("NotificationConfiguration")).isEqualTo(Map.of(
                    "EventBridgeConfiguration", Map.of("EventBridgeEnabled", true)));
        } else {
            assertThat(properties).doesNotContainKey("NotificationConfiguration");
        }
    }

    @Test
    void eventBridge_datasetBucketOnly_setOnTheBucketWithoutACustomResource() {
        assertThat(StorageDefinitions.capstan().eventBridgeBuckets()).containsExactly(BucketDefinition.DATASETS);
        assertThat(stack.resources().sendsEventsToEventBridge(BucketDefinition.DATASETS)).isTrue();
        template.resourceCountIs("Custom::S3BucketNotifications", 0);
        template.resourceCountIs("AWS::Lambda::Function", 0);
    }

    @Test
    void storageDefinitions_eventBridgeBucketNotAmongTheBuckets_fails() {
        assertThatThrownBy(() -> new StorageDefinitions(TABLE, List.of(BucketDefinition.ARTIFACTS),
                Set.of(BucketDefinition.DATASETS)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be among the buckets");
    }

    @Test
    void accessLogBucket_isEncryptedPrivateTlsOnlyAndExpiresLogs() {
        Map<String, Object> properties = properties(resource(stack.accessLogBucket()));

        assertThat(properties).containsKeys("BucketEncryption", "PublicAccessBlockConfiguration")
                .doesNotContainKey("LoggingConfiguration");
        assertThat(properties.get("LifecycleConfiguration")).asString()
                .contains("ExpirationInDays=" + StorageStack.ACCESS_LOG_EXPIRY_DAYS);
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                "Bucket", Map.of("Ref", logicalId(stack.accessLogBucket())),
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Effect", "Deny",
                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                        Match.objectLike(Map.of("Effect", "Allow",
                                "Principal", Map.of("Service", "logging.s3.amazonaws.com")))))))));
    }

    @Test
    void bucketPolicies_areRetainedWithTheirBuckets() {
        assertThat(template.findResources("AWS::S3::BucketPolicy").values())
                .hasSize(BucketDefinition.all().size() + 2)
                .allSatisfy(policy -> assertThat(policy).containsEntry("DeletionPolicy", "Retain"));
    }

    @Test
    void athenaWorkgroup_enforcesItsEncryptedResultLocation_engine3_andAScanLimit() {
        IConstruct results = stack.resources().qualityQueries().orElseThrow().results();
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of(
                "Name", QualityQueryTables.WORKGROUP,
                "WorkGroupConfiguration", Match.objectLike(Map.of(
                        "EnforceWorkGroupConfiguration", true,
                        "BytesScannedCutoffPerQuery", QualityQueryTables.DEFAULT_BYTES_SCANNED_CUTOFF,
                        "EngineVersion", Map.of("SelectedEngineVersion", "Athena engine version 3"),
                        "ResultConfiguration", Match.objectLike(Map.of(
                                "EncryptionConfiguration", Map.of("EncryptionOption", "SSE_S3"),
                                "OutputLocation", Match.anyValue()))))));
        String location = template.findResources("AWS::Athena::WorkGroup").values().iterator().next().toString();
        assertThat(location).contains(logicalId(results)).contains("/athena/");
        Map<String, Object> bucket = properties(resource(results));
        assertThat(bucket.toString()).contains("expire-query-results", "ExpirationInDays=" + QualityQueryTables
                .RESULT_EXPIRY_DAYS, "AES256", "BlockPublicAcls=true", "LoggingConfiguration");
    }

    @Test
    void athenaTables_projectTheRecordsPartitions_fromTheKeysThePredictFunctionWrites() {
        Map<String, Map<String, Object>> tables = template.findResources("AWS::Glue::Table");
        assertThat(tables).hasSize(2);
        String captureBucket = logicalId(stack.bucket(BucketDefinition.CAPTURE));
        Map<String, String> partitionsByTable = new java.util.HashMap<>();
        for (Map<String, Object> table : tables.values()) {
            Map<String, Object> input = (Map<String, Object>) properties(table).get("TableInput");
            Map<String, Object> parameters = (Map<String, Object>) input.get("Parameters");
            assertThat(parameters).containsEntry("projection.enabled", "true")
                    .containsEntry("projection.model.type", "injected")
                    .containsEntry("projection.dt.type", "date")
                    .containsEntry("projection.dt.format", "yyyy-MM-dd");
            assertThat(parameters.get("storage.location.template").toString()).contains(captureBucket);
            assertThat(((Map<String, Object>) input.get("StorageDescriptor")).toString())
                    .contains("org.apache.hive.hcatalog.data.JsonSerDe");
            partitionsByTable.put(input.get("Name").toString(), input.get("PartitionKeys").toString()
                    + parameters.get("storage.location.template"));
        }
        // the keys PredictionKeys writes: predictions/model=<m>/dt=<day>/hour=<HH>/..., feedback/model=<m>/dt=<day>/...
        String predictionKey = io.capstan.monitoring.PredictionKeys.predictions("m", java.time.Instant.parse(
                "2026-12-01T07:00:00Z"), 1, "c");
        String feedbackKey = io.capstan.monitoring.PredictionKeys.feedback("m", java.time.Instant.parse(
                "2026-12-01T07:00:00Z").toEpochMilli(), "r");
        assertThat(predictionKey).startsWith(KeyPrefixes.PREDICTIONS + "model=m/dt=2026-12-01/hour=07/");
        assertThat(feedbackKey).startsWith(KeyPrefixes.FEEDBACK + "model=m/dt=2026-12-01/");
        assertThat(partitionsByTable.get(io.capstan.monitoring.QualityQueries.PREDICTIONS_TABLE))
                .contains("hour", KeyPrefixes.PREDICTIONS + "model=${model}/dt=${dt}/hour=${hour}/");
        assertThat(partitionsByTable.get(io.capstan.monitoring.QualityQueries.FEEDBACK_TABLE))
                .doesNotContain("hour").contains(KeyPrefixes.FEEDBACK + "model=${model}/dt=${dt}/");
    }

    @Test
    void athenaScanLimit_comesFromContext_andIsCheckedAgainstAthenasMinimum() {
        App app = CapstanApp.newApp(Map.of(QualityQueryTables.BYTES_SCANNED_CUTOFF_CONTEXT_KEY, "20000000"));
        Template limited = Template.fromStack(new StorageStack(app, "Limited", StorageDefinitions.capstan()));
        limited.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("WorkGroupConfiguration",
                Match.objectLike(Map.of("BytesScannedCutoffPerQuery", 20_000_000))));
        App tooLow = CapstanApp.newApp(Map.of(QualityQueryTables.BYTES_SCANNED_CUTOFF_CONTEXT_KEY, "1000"));
        assertThatThrownBy(() -> new StorageStack(tooLow, "TooLow", StorageDefinitions.capstan()))
                .hasMessageContaining(QualityQueryTables.BYTES_SCANNED_CUTOFF_CONTEXT_KEY)
                .hasMessageContaining("10000000");
    }

    private static Map<String, Object> resource(IConstruct construct) {
        Map<String, Map<String, Object>> all = template.findResources("AWS::S3::Bucket");
        Map<String, Object> found = all.get(logicalId(construct));
        assertThat(found).as("bucket %s in the template", construct.getNode().getPath()).isNotNull();
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    private static String logicalId(IConstruct construct) {
        CfnElement element = (CfnElement) construct.getNode().getDefaultChild();
        return Stack.of(element).getLogicalId(element);
    }
}
