package io.capstan.infra.api;

import io.capstan.batch.BatchStateMachine;
import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.function.CapstanFunctionProps;
import io.capstan.infra.nag.NagFindings;
import io.capstan.infra.pipeline.RetrainingAccess;
import io.capstan.infra.storage.QualityQueryTables;
import io.capstan.infra.storage.StorageAccess;
import io.capstan.infra.storage.StorageGrants;
import io.capstan.infra.storage.StorageResources;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.monitoring.QualityQueries;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpLambdaResponseType;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Capstan's functions and their two front doors. Every route of the route table exists twice, with the same
 * functions behind it: on the token API (for MLflow clients, {@code Authorization: Bearer <token>}, checked by
 * the authorizer function against SHA-256 digests in a Secrets Manager secret) and on the IAM API (for AWS
 * callers signing with SigV4). A route carries one authorizer, hence two APIs rather than two authorizers. Each
 * function gets the storage and retraining access {@link FunctionAccess} gives it (the retraining state machine
 * comes from the pipeline stack) and the memory and timeout of {@link FunctionSizing}.
 */
public final class ApiStack extends Stack {

    /** The authorizer's entry point, in {@code functions/authorizer}. */
    public static final String AUTHORIZER_HANDLER = "io.capstan.authorizer.lambda.AuthorizerLambdaHandler::handleRequest";
    /** The authorizer's module under {@code functions/}. */
    public static final String AUTHORIZER_MODULE = "authorizer";
    /** The environment variable the authorizer reads the token secret's ARN from. */
    public static final String TOKENS_SECRET_ENV = "CAPSTAN_TOKENS_SECRET_ARN";
    /** How long API Gateway reuses an authorizer answer for the same Authorization header. */
    public static final Duration AUTHORIZER_CACHE_TTL = Duration.minutes(5);
    /** The secret's value when created; administrators add entries afterwards (docs/DEPLOY.md). */
    static final String EMPTY_TOKENS = "{\"tokens\":{}}";
    /** The layout of the run search index the tracking function writes; a new layout re-runs the indexing. */
    static final int RUN_INDEX_LAYOUT = 1;
    /** The maintenance event that indexes earlier runs ({@code events/maintenance/index-runs.json}). */
    static final String INDEX_RUNS_EVENT = "{\"source\": \"capstan.maintenance\", \"action\": \"index-runs\"}";

    private final Map<FunctionId, CapstanFunction> functions = new EnumMap<>(FunctionId.class);
    private final Secret tokenSecret;
    private final CapstanFunction authorizer;
    private final RoutedHttpApi tokenApi;
    private final RoutedHttpApi iamApi;

    public ApiStack(Construct scope, String id, ApiStackProps props) {
        super(scope, id, StackProps.builder()
                .description("Capstan API (stateless): functions, bearer-token authorizer, token and IAM HTTP APIs")
                .build());
        for (FunctionId function : functionsOf(props)) {
            functions.put(function, createFunction(function, props));
        }
        if (functions.containsKey(FunctionId.TRACKING)) {
            indexRunsOnDeploy(functions.get(FunctionId.TRACKING));
        }
        this.tokenSecret = createTokenSecret();
        this.authorizer = createAuthorizer(props);
        Map<FunctionId, IFunction> targets = new EnumMap<>(FunctionId.class);
        functions.forEach((function, created) -> targets.put(function, created.alias()));

        this.tokenApi = new RoutedHttpApi(this, "TokenApi", new RoutedHttpApi.Props(
                "Capstan for MLflow clients: Authorization: Bearer <MLFLOW_TRACKING_TOKEN>",
                props.routes(), targets,
                new HttpLambdaAuthorizer("BearerTokenAuthorizer", authorizer.alias(), HttpLambdaAuthorizerProps.builder()
                        .responseTypes(List.of(HttpLambdaResponseType.SIMPLE))
                        .identitySource(List.of("$request.header.Authorization"))
                        .resultsCacheTtl(AUTHORIZER_CACHE_TTL)
                        .build())));
        this.iamApi = new RoutedHttpApi(this, "IamApi", new RoutedHttpApi.Props(
                "Capstan for AWS callers: SigV4-signed requests, allowed by execute-api:Invoke",
                props.routes(), targets, new HttpIamAuthorizer()));

        CfnOutput.Builder.create(this, "MlflowTrackingUri")
                .description("Token API: set MLFLOW_TRACKING_URI to this and MLFLOW_TRACKING_TOKEN to a token")
                .value(tokenApi.url())
                .build();
        if (functions.containsKey(FunctionId.CONSOLE)) {
            CfnOutput.Builder.create(this, "ConsoleUrl")
                    .description("The web console: open it in a browser and give it an API token (Token button)")
                    .value(tokenApi.url() + "/")
                    .build();
        }
        CfnOutput.Builder.create(this, "IamApiUrl")
                .description("IAM API: SigV4-signed requests (service execute-api)")
                .value(iamApi.url())
                .build();
        CfnOutput.Builder.create(this, "IamApiInvokeArn")
                .description("Resource for execute-api:Invoke in the policies of IAM API callers")
                .value(iamApi.api().arnForExecuteApi())
                .build();
        CfnOutput.Builder.create(this, "TokenSecretArn")
                .description("Secret holding the SHA-256 digests of the API tokens (docs/DEPLOY.md)")
                .value(tokenSecret.getSecretArn())
                .build();
    }

    /** The function serving {@code function}'s routes. */
    public CapstanFunction function(FunctionId function) {
        CapstanFunction created = functions.get(function);
        if (created == null) {
            throw new IllegalArgumentException("no routes lead to " + function + ", so it has no function");
        }
        return created;
    }

    public CapstanFunction authorizer() {
        return authorizer;
    }

    public ISecret tokenSecret() {
        return tokenSecret;
    }

    public RoutedHttpApi tokenApi() {
        return tokenApi;
    }

    public RoutedHttpApi iamApi() {
        return iamApi;
    }

    private static Set<FunctionId> functionsOf(ApiStackProps props) {
        Set<FunctionId> used = EnumSet.noneOf(FunctionId.class);
        for (Route route : props.routes().routes()) {
            used.add(route.function());
        }
        return used;
    }

    private CapstanFunction createFunction(FunctionId function, ApiStackProps props) {
        StorageResources storage = props.storage();
        FunctionAccess access = FunctionAccess.of(function);
        FunctionSizing sizing = FunctionSizing.of(function);
        CapstanFunctionProps.Builder builder = CapstanFunctionProps.builder()
                .description("Capstan " + function.id() + " function")
                .handler(function.lambdaHandler())
                .code(props.code().assetOf(function.id()))
                .memoryMib(sizing.memoryMib())
                .timeout(sizing.timeout());
        if (access.storage().table() != StorageAccess.TableAccess.NONE || !access.storage().buckets().isEmpty()) {
            builder.environment(storage.tableDefinition().tableNameEnvVar(), storage.table().getTableName());
            storage.buckets().forEach((definition, bucket) ->
                    builder.environment(definition.nameEnvVar(), bucket.getBucketName()));
        }
        if (access.retraining() != RetrainingAccess.NONE) {
            builder.environment(RetrainStateMachine.STATE_MACHINE_ARN_ENV, props.retraining().getStateMachineArn());
        }
        if (function == FunctionId.REGISTRY) {
            builder.environment(FunctionId.ALIAS_ENV, CapstanFunction.ALIAS_NAME);
        }
        if (function == FunctionId.DRIFT) {
            builder.environment(ProfileStateMachine.STATE_MACHINE_ARN_ENV, props.driftProfiles().getStateMachineArn());
        }
        if (access.qualityQueries()) {
            QualityQueryTables queries = storage.qualityQueries().orElseThrow(() -> new IllegalArgumentException(
                    function + " runs Athena queries over the capture bucket, which the storage stack does not have"));
            builder.environment(QualityQueries.WORKGROUP_ENV, queries.workgroupName());
            builder.environment(QualityQueries.DATABASE_ENV, queries.databaseName());
        }
        if (access.batchJobs()) {
            builder.environment(BatchStateMachine.STATE_MACHINE_ARN_ENV, props.batchPredictions().getStateMachineArn());
            builder.environment(BatchStateMachine.LOCATIONS_ENV, props.batchLocations().environmentValue(
                    storage.bucket(BucketDefinition.DATASETS).getBucketName()));
        }
        CapstanFunction created = new CapstanFunction(this, RoutedHttpApi.capitalized(function.id()), builder.build());
        StorageGrants.grant(access.storage(), created.role(), storage);
        access.retraining().grant(created.role(), props.retraining());
        if (access.qualityQueries()) {
            storage.qualityQueries().orElseThrow().grantQueries(created.role());
        }
        if (access.batchJobs()) {
            RetrainingAccess.START_AND_DESCRIBE.grant(created.role(), props.batchPredictions());
            props.batchLocations().grantExternal(created.role(), false);
        }
        if (function == FunctionId.REGISTRY) {
            allowSelfInvocation(created);
        }
        if (function == FunctionId.DRIFT) {
            // starts a distributed check and reads its status back (GET /models/{name}/drift/{report})
            RetrainingAccess.START_AND_DESCRIBE.grant(created.role(), props.driftProfiles());
        }
        return created;
    }

    /**
     * The registry function registers a large source outside the request by invoking its own alias asynchronously
     * ({@code RegistryLambdaHandler}). The grant is a policy of its own, not the role's default policy: the function
     * depends on its role's default policy, and a statement naming the function there would be a dependency cycle.
     */
    private void allowSelfInvocation(CapstanFunction registry) {
        Policy.Builder.create(this, "RegistrySelfInvocation")
                .roles(List.of(registry.role()))
                .statements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("lambda:InvokeFunction"))
                        .resources(List.of(registry.alias().getFunctionArn()))
                        .build()))
                .build();
    }

    /**
     * Once per layout of the run search index (docs/STORAGE.md), the deploy sends the tracking function's alias the
     * maintenance event that indexes the runs written before that layout ({@code events/maintenance/index-runs.json}):
     * asynchronously, so the deploy does not wait for it; experiments it does not reach in one invocation are indexed
     * by their first searches.
     */
    private void indexRunsOnDeploy(CapstanFunction tracking) {
        AwsSdkCall invoke = AwsSdkCall.builder()
                .service("Lambda")
                .action("invoke")
                .parameters(Map.of("FunctionName", tracking.alias().getFunctionArn(), "InvocationType", "Event",
                        "Payload", INDEX_RUNS_EVENT))
                .physicalResourceId(PhysicalResourceId.of("run-search-index-layout-" + RUN_INDEX_LAYOUT))
                .build();
        // the provider's own role, without the managed AWSLambdaBasicExecutionRole CDK would give it: its log group
        // and the one invocation
        Role role = Role.Builder.create(this, "IndexRunsForSearchRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Capstan deploy step: sends the tracking function the index-runs event")
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "IndexRunsForSearchLogs")
                .retention(CapstanFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        logs.grantWrite(role);
        AwsCustomResource.Builder.create(this, "IndexRunsForSearch")
                .onCreate(invoke)
                .onUpdate(invoke)
                .installLatestAwsSdk(false)
                .role(role)
                .logGroup(logs)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("lambda:InvokeFunction"))
                        .resources(List.of(tracking.alias().getFunctionArn()))
                        .build())))
                .build();
        // the provider is a singleton function at the stack's root, named after its UUID
        IConstruct provider = getNode().findChild("AWS" + AwsCustomResource.PROVIDER_FUNCTION_UUID.replace("-", ""));
        NagFindings.suppress(provider, "AwsSolutions-L1", "The provider function's Node.js runtime is chosen by "
                + "aws-cdk-lib's AwsCustomResource and moves with it; it runs only during a deploy that changes the "
                + "run index layout.");
    }

    private Secret createTokenSecret() {
        Secret secret = Secret.Builder.create(this, "ApiTokens")
                .description("Capstan API tokens: {\"tokens\": {\"<name>\": \"<sha256 hex of the token>\"}}; "
                        + "raw tokens are never stored (docs/DEPLOY.md)")
                // not secret: the initial value holds no token; CloudFormation leaves later values alone
                .secretStringValue(SecretValue.unsafePlainText(EMPTY_TOKENS))
                .build();
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("The secret holds SHA-256 digests of API tokens that administrators issue to people and CI "
                        + "jobs, not a credential a rotation function could change on both ends; tokens are "
                        + "rotated by adding a new entry and removing the old one (docs/DEPLOY.md).")
                .build()), true);
        return secret;
    }

    private CapstanFunction createAuthorizer(ApiStackProps props) {
        CapstanFunction created = new CapstanFunction(this, "Authorizer", CapstanFunctionProps.builder()
                .description("Capstan bearer-token authorizer for the token API")
                .handler(AUTHORIZER_HANDLER)
                .code(props.code().assetOf(AUTHORIZER_MODULE))
                .timeout(Duration.seconds(10))
                .environment(TOKENS_SECRET_ENV, tokenSecret.getSecretArn())
                .build());
        // GetSecretValue only (grantRead would add DescribeSecret), on this one secret
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(created.role())
                .actions(List.of("secretsmanager:GetSecretValue"))
                .resourceArns(List.of(tokenSecret.getSecretArn()))
                .build());
        return created;
    }
}
