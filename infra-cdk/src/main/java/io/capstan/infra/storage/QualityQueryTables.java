package io.capstan.infra.storage;

import io.capstan.infra.nag.NagFindings;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.monitoring.QualityQueries;
import io.capstan.storage.KeyPrefixes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Amazon Athena's view of the prediction records and feedback in the capture bucket, for quality windows larger than
 * the quality function joins in process: a Glue database with two tables over {@link PredictionKeys}' layout, with
 * partition projection (the {@code model} partition injected by each query, {@code dt} a day, {@code hour} two
 * digits), so that Athena lists no partitions and a query reads only its model's days; and a workgroup that enforces
 * its result location (a bucket of its own, encrypted, results expiring after {@value #RESULT_EXPIRY_DAYS} days), the
 * results' encryption, engine version 3 and a limit on the bytes one query may scan (CDK context
 * {@value #BYTES_SCANNED_CUTOFF_CONTEXT_KEY}, default {@value #DEFAULT_BYTES_SCANNED_CUTOFF} bytes). Nothing of it is
 * billed while idle: the catalog's first million objects are free and Athena bills per byte scanned.
 */
public final class QualityQueryTables extends Construct {
    /** The Glue database. */
    public static final String DATABASE = "capstan_quality";
    /** The workgroup. */
    public static final String WORKGROUP = "capstan-quality";
    /** Query results are kept this many days: long enough to read them again by hand when a check is questioned. */
    public static final int RESULT_EXPIRY_DAYS = 7;
    /** CDK context key: the most bytes one query may scan before Athena cancels it. */
    public static final String BYTES_SCANNED_CUTOFF_CONTEXT_KEY = "capstan:athenaBytesScannedCutoff";
    /**
     * 100 GiB a query (about US$0.49 at US$5 per TB): a check's summary query reads the window's records once and, for
     * unknown ids, once more with the look-back (three window lengths), so windows up to about 30 GiB of gzipped
     * records (some 700 million predictions) fit.
     */
    public static final long DEFAULT_BYTES_SCANNED_CUTOFF = 100L << 30;
    /** The day partitions Athena projects from: before the first record any deployment writes. */
    static final String FIRST_DAY = "2024-01-01";
    private static final String JSON_SERDE = "org.apache.hive.hcatalog.data.JsonSerDe";

    private final Bucket results;
    private final CfnWorkGroup workgroup;
    private final CfnDatabase database;
    private final List<CfnTable> tables;

    public QualityQueryTables(Construct scope, String id, IBucket capture, IBucket accessLogs) {
        super(scope, id);
        this.results = Bucket.Builder.create(this, "results")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("athena-results/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-query-results")
                        .expiration(Duration.days(RESULT_EXPIRY_DAYS))
                        .abortIncompleteMultipartUploadAfter(Duration.days(StorageStack.ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        this.results.getPolicy().applyRemovalPolicy(RemovalPolicy.RETAIN);
        String account = Stack.of(this).getAccount();
        this.database = CfnDatabase.Builder.create(this, "database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(DATABASE)
                        .description("Capstan's prediction records and ground truth, for quality checks in Athena")
                        .build())
                .build();
        this.tables = List.of(
                table("predictions", QualityQueries.PREDICTIONS_TABLE, capture, KeyPrefixes.PREDICTIONS,
                        "Prediction records the predict function writes (one per scored row)",
                        columns("id", "string", "version", "string", "time", "bigint", "label", "string",
                                "probabilities", "map<string,double>", "value", "double", "inputs",
                                "map<string,double>"), true),
                table("feedback", QualityQueries.FEEDBACK_TABLE, capture, KeyPrefixes.FEEDBACK,
                        "Ground truth the quality function stores (one per label received)",
                        columns("id", "string", "label", "string", "value", "double", "received", "bigint"), false));
        long cutoff = bytesScannedCutoff(scope);
        this.workgroup = CfnWorkGroup.Builder.create(this, "workgroup")
                .name(WORKGROUP)
                .description("Capstan's quality checks of windows larger than the quality function joins itself")
                .state("ENABLED")
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(cutoff)
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3")
                                .build())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation(results.s3UrlForObject("athena/"))
                                .expectedBucketOwner(account)
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_S3")
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** The query result bucket. */
    public IBucket results() {
        return results;
    }

    /** The workgroup's name, as a token that makes a stack using it depend on it. */
    public String workgroupName() {
        return workgroup.getRef();
    }

    /** The database's name, as a token that makes a stack using it depend on it. */
    public String databaseName() {
        return database.getRef();
    }

    /**
     * Lets {@code role} run queries in the workgroup and read the two tables' metadata, and read and write the query
     * results Athena writes for it (Athena reads the records themselves with the caller's rights: grant those
     * separately). The wildcards it needs are recorded on the role for cdk-nag with the reason.
     */
    public void grantQueries(IRole role) {
        Stack stack = Stack.of(this);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution",
                        "athena:GetQueryResults"))
                .resources(List.of(stack.formatArn(arn("athena", "workgroup", workgroup.getRef()))))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"))
                .resources(List.of(
                        stack.formatArn(arn("glue", "catalog", null)),
                        stack.formatArn(arn("glue", "database", database.getRef())),
                        stack.formatArn(arn("glue", "table", database.getRef() + "/" + QualityQueries.PREDICTIONS_TABLE)),
                        stack.formatArn(arn("glue", "table", database.getRef() + "/" + QualityQueries.FEEDBACK_TABLE))))
                .build());
        results.grantReadWrite(role, "athena/*");
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetBucketLocation"))
                .resources(List.of(results.getBucketArn()))
                .build());
        NagFindings.suppress(role, NagFindings.IAM5, "Athena writes each query's result file under the workgroup's "
                + "result prefix athena/ of its own bucket with a name chosen at run time (the query's id), and the "
                + "quality function reads it back; the action wildcards are CDK's read-write grant on those objects.",
                List.of(NagFindings.resourceUnder(results, "/athena/*"), NagFindings.action("s3:GetObject*"),
                        NagFindings.action("s3:GetBucket*"), NagFindings.action("s3:List*"),
                        NagFindings.action("s3:DeleteObject*"), NagFindings.action("s3:Abort*")));
    }

    private CfnTable table(String id, String name, IBucket capture, String prefix, String description,
                           List<CfnTable.ColumnProperty> columns, boolean hourly) {
        String location = "s3://" + capture.getBucketName() + "/" + prefix;
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", "json");
        parameters.put("compressionType", "gzip");
        parameters.put("projection.enabled", "true");
        parameters.put("projection.model.type", "injected");
        parameters.put("projection.dt.type", "date");
        parameters.put("projection.dt.format", "yyyy-MM-dd");
        parameters.put("projection.dt.range", FIRST_DAY + ",NOW");
        parameters.put("projection.dt.interval", "1");
        parameters.put("projection.dt.interval.unit", "DAYS");
        List<CfnTable.ColumnProperty> partitions = hourly
                ? List.of(column("model", "string"), column("dt", "string"), column("hour", "string"))
                : List.of(column("model", "string"), column("dt", "string"));
        if (hourly) {
            parameters.put("projection.hour.type", "integer");
            parameters.put("projection.hour.range", "0,23");
            parameters.put("projection.hour.digits", "2");
        }
        parameters.put("storage.location.template", location + "model=${model}/dt=${dt}"
                + (hourly ? "/hour=${hour}/" : "/"));
        CfnTable table = CfnTable.Builder.create(this, id)
                .catalogId(Stack.of(this).getAccount())
                .databaseName(database.getRef())
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(name)
                        .description(description + ", as gzipped JSON lines (" + PredictionKeys.SUFFIX + ")")
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(partitions)
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(location)
                                .columns(columns)
                                .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                                .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary(JSON_SERDE)
                                        .build())
                                .build())
                        .build())
                .build();
        table.addDependency(database);
        return table;
    }

    private static List<CfnTable.ColumnProperty> columns(String... namesAndTypes) {
        List<CfnTable.ColumnProperty> columns = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            columns.add(column(namesAndTypes[i], namesAndTypes[i + 1]));
        }
        return columns;
    }

    private static CfnTable.ColumnProperty column(String name, String type) {
        return CfnTable.ColumnProperty.builder().name(name).type(type).build();
    }

    private static ArnComponents arn(String service, String resource, String name) {
        ArnComponents.Builder builder = ArnComponents.builder()
                .service(service).resource(resource);
        return name == null ? builder.build() : builder.resourceName(name).build();
    }

    private static long bytesScannedCutoff(Construct scope) {
        Object value = scope.getNode().tryGetContext(BYTES_SCANNED_CUTOFF_CONTEXT_KEY);
        if (value == null) {
            return DEFAULT_BYTES_SCANNED_CUTOFF;
        }
        long cutoff;
        try {
            cutoff = Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BYTES_SCANNED_CUTOFF_CONTEXT_KEY + " must be a whole number of bytes,"
                    + " was " + value, e);
        }
        // Athena's own minimum is 10 MB
        if (cutoff < 10_000_000L) {
            throw new IllegalArgumentException(BYTES_SCANNED_CUTOFF_CONTEXT_KEY + " must be at least 10000000 bytes"
                    + " (Athena's minimum), was " + cutoff);
        }
        return cutoff;
    }
}
