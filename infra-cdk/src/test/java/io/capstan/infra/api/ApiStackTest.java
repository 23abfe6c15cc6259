package io.capstan.infra.api;

import static io.capstan.infra.testutils.Templates.actions;
import static io.capstan.infra.testutils.Templates.asList;
import static io.capstan.infra.testutils.Templates.logicalId;
import static io.capstan.infra.testutils.Templates.properties;
import static io.capstan.infra.testutils.Templates.propertiesOf;
import static io.capstan.infra.testutils.Templates.ref;
import static io.capstan.infra.testutils.Templates.statements;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.batch.BatchStateMachine;
import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.pipeline.PipelineStack;
import io.capstan.infra.storage.QualityQueryTables;
import io.capstan.infra.storage.StorageStack;
import io.capstan.infra.testutils.SharedApp;
import io.capstan.infra.testutils.Templates;
import io.capstan.monitoring.ProfileStateMachine;
import io.capstan.monitoring.QualityQueries;
import io.capstan.pipeline.RetrainStateMachine;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.TableDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

class ApiStackTest {

    private static final List<Route> ROUTES = RouteTable.capstan().routes();
    /** The route keys served without authorization: the console's files. */
    private static final List<String> OPEN = ROUTES.stream().filter(route -> route.function().open())
            .map(Route::routeKey).toList();
    private static final int FUNCTIONS = (int) ROUTES.stream().map(Route::function).distinct().count();

    private static StorageStack storage;
    private static PipelineStack pipeline;
    private static ApiStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        CapstanApp.Stacks stacks = SharedApp.stacks();
        storage = stacks.storage();
        pipeline = stacks.pipeline();
        stack = stacks.api();
        template = SharedApp.template(stack);
    }

    @Test
    void routes_tokenApi_hasEveryRouteOfTheRouteTable() {
        assertThat(routeKeysOf(stack.tokenApi()))
                .containsExactlyInAnyOrderElementsOf(ROUTES.stream().map(Route::routeKey).toList())
                .contains("POST /api/2.0/mlflow/runs/create", "GET /api/2.0/mlflow-artifacts/artifacts/{path+}");
    }

    @Test
    void routes_iamApi_hasEveryRouteOfTheRouteTable() {
        assertThat(routeKeysOf(stack.iamApi()))
                .containsExactlyInAnyOrderElementsOf(ROUTES.stream().map(Route::routeKey).toList());
        template.resourceCountIs("AWS::ApiGatewayV2::Route", 2 * ROUTES.size());
    }

    @Test
    void routes_tokenApi_allButTheConsolesFilesUseTheBearerTokenAuthorizer() {
        String authorizer = onlyLogicalId("AWS::ApiGatewayV2::Authorizer");

        assertThat(routesOf(stack.tokenApi())).hasSize(ROUTES.size());
        assertThat(routesOf(stack.tokenApi())).filteredOn(route -> !OPEN.contains(route.get("RouteKey")))
                .hasSize(ROUTES.size() - OPEN.size()).allSatisfy(route -> assertThat(route)
                        .containsEntry("AuthorizationType", "CUSTOM")
                        .containsEntry("AuthorizerId", Map.of("Ref", authorizer)));
        assertThat(routesOf(stack.tokenApi())).filteredOn(route -> OPEN.contains(route.get("RouteKey")))
                .hasSize(2).allSatisfy(route -> assertThat(route).containsEntry("AuthorizationType", "NONE"));
    }

    @Test
    void routes_iamApi_allButTheConsolesFilesRequireSigV4() {
        assertThat(routesOf(stack.iamApi())).filteredOn(route -> !OPEN.contains(route.get("RouteKey")))
                .hasSize(ROUTES.size() - OPEN.size()).allSatisfy(route -> assertThat(route)
                        .containsEntry("AuthorizationType", "AWS_IAM")
                        .doesNotContainKey("AuthorizerId"));
        assertThat(routesOf(stack.iamApi())).filteredOn(route -> OPEN.contains(route.get("RouteKey")))
                .hasSize(2).allSatisfy(route -> assertThat(route).containsEntry("AuthorizationType", "NONE"));
    }

    @Test
    void console_functionReachesNoTableBucketOrSecret_andTheDeployPrintsItsUrl() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.CONSOLE).role());

        assertThat(statements.toString()).doesNotContain("dynamodb:", "s3:", "secretsmanager:", "states:");
        assertThat(environment(stack.function(FunctionId.CONSOLE))).isEmpty();
        assertThat(template.findOutputs("ConsoleUrl")).hasSize(1);
    }

    @Test
    void authorizer_isSimpleResponseOnTheAuthorizationHeaderCachedFiveMinutes() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", Map.of(
                "ApiId", ref(stack.tokenApi().api()),
                "AuthorizerType", "REQUEST",
                "AuthorizerPayloadFormatVersion", "2.0",
                "EnableSimpleResponses", true,
                "IdentitySource", List.of("$request.header.Authorization"),
                "AuthorizerResultTtlInSeconds", 300,
                "AuthorizerUri", Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(
                        ref(stack.authorizer().alias()))))))));
        template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
    }

    @Test
    void integrations_oneProxyIntegrationPerFunctionAndApi_targetingTheAlias() {
        template.resourceCountIs("AWS::ApiGatewayV2::Integration", 2 * FUNCTIONS);
        for (FunctionId function : functionIds()) {
            for (RoutedHttpApi api : List.of(stack.tokenApi(), stack.iamApi())) {
                template.hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                        "ApiId", ref(api.api()),
                        "IntegrationType", "AWS_PROXY",
                        "PayloadFormatVersion", "2.0",
                        "IntegrationUri", ref(stack.function(function).alias())));
            }
        }
    }

    @Test
    void permissions_onePerFunctionAndApiPlusTheAuthorizer_keepingLambdaPoliciesSmall() {
        template.resourceCountIs("AWS::Lambda::Permission", 2 * FUNCTIONS + 1);
    }

    @ParameterizedTest
    @EnumSource(FunctionId.class)
    void function_isJava21Arm64WithSnapStartAndJsonLogs(FunctionId function) {
        CapstanFunction created = stack.function(function);

        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", function.lambdaHandler(),
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "LoggingConfig", Map.of("LogFormat", "JSON", "LogGroup", Match.objectLike(Map.of())),
                "Role", Map.of("Fn::GetAtt", List.of(logicalId(created.role()), "Arn"))));
    }

    @ParameterizedTest
    @EnumSource(FunctionId.class)
    void function_memoryAndTimeout_comeFromItsSizing(FunctionId function) {
        Map<String, Object> properties = propertiesOf(template, "AWS::Lambda::Function", stack.function(function).function());

        assertThat(properties).containsEntry("MemorySize", FunctionSizing.of(function).memoryMib())
                .containsEntry("Timeout", FunctionSizing.of(function).timeout().toSeconds().intValue());
    }

    @Test
    void functionSizing_predictHasRoomForOnnxRuntimeAndDriftOutlastsAnHttpRequest() {
        assertThat(FunctionSizing.of(FunctionId.PREDICT).memoryMib()).isGreaterThanOrEqualTo(2048);
        assertThat(FunctionSizing.of(FunctionId.PREDICT).timeout().toSeconds().intValue()).isEqualTo(30);
        assertThat(FunctionSizing.of(FunctionId.DRIFT).timeout().toSeconds().intValue()).isGreaterThan(30);
    }

    @ParameterizedTest
    @EnumSource(FunctionId.class)
    void function_environment_namesTheTableEveryBucketAndTheStateMachineWhereItUsesIt(FunctionId function) {
        Map<String, Object> variables = environment(stack.function(function));
        if (function == FunctionId.CONSOLE) {
            assertThat(variables).as("the console uses no storage").isEmpty();
            return;
        }

        List<String> expected = new ArrayList<>(List.of(TableDefinition.METADATA.tableNameEnvVar()));
        BucketDefinition.all().forEach(bucket -> expected.add(bucket.nameEnvVar()));
        if (function == FunctionId.PIPELINE || function == FunctionId.DRIFT || function == FunctionId.QUALITY) {
            expected.add(RetrainStateMachine.STATE_MACHINE_ARN_ENV);
            assertThat(variables.get(RetrainStateMachine.STATE_MACHINE_ARN_ENV)).asString()
                    .contains("Fn::ImportValue").contains(logicalId(pipeline.retraining().stateMachine()));
        }
        if (function == FunctionId.DRIFT) {
            expected.add(ProfileStateMachine.STATE_MACHINE_ARN_ENV);
            assertThat(variables.get(ProfileStateMachine.STATE_MACHINE_ARN_ENV)).asString()
                    .contains("Fn::ImportValue").contains(logicalId(pipeline.driftProfiles().stateMachine()));
        }
        if (function == FunctionId.REGISTRY) {
            expected.add(FunctionId.ALIAS_ENV);
            assertThat(variables.get(FunctionId.ALIAS_ENV)).isEqualTo(CapstanFunction.ALIAS_NAME);
        }
        if (function == FunctionId.BATCH) {
            expected.addAll(List.of(BatchStateMachine.STATE_MACHINE_ARN_ENV, BatchStateMachine.LOCATIONS_ENV));
            assertThat(variables.get(BatchStateMachine.STATE_MACHINE_ARN_ENV)).asString()
                    .contains("Fn::ImportValue").contains(logicalId(pipeline.batchPredictions().stateMachine()));
            assertThat(variables.get(BatchStateMachine.LOCATIONS_ENV)).asString().contains("/batch/");
        }
        if (function == FunctionId.QUALITY) {
            QualityQueryTables queries = storage.resources().qualityQueries().orElseThrow();
            expected.addAll(List.of(QualityQueries.WORKGROUP_ENV, QualityQueries.DATABASE_ENV));
            assertThat(variables.get(QualityQueries.WORKGROUP_ENV)).asString().contains("Fn::ImportValue")
                    .contains("QualityQueriesworkgroup");
            assertThat(variables.get(QualityQueries.DATABASE_ENV)).asString().contains("QualityQueriesdatabase");
        }
        assertThat(variables).containsOnlyKeys(expected);
    }

    @ParameterizedTest
    @EnumSource(FunctionId.class)
    void function_alias_pointsAtThePublishedVersion(FunctionId function) {
        template.hasResourceProperties("AWS::Lambda::Alias", Map.of(
                "Name", CapstanFunction.ALIAS_NAME,
                "FunctionName", ref(stack.function(function).function()),
                "FunctionVersion", Match.objectLike(Map.of("Fn::GetAtt", Match.arrayWith(List.of("Version"))))));
    }

    @Test
    void authorizerFunction_readsTheSecretArnFromItsEnvironment() {
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", ApiStack.AUTHORIZER_HANDLER,
                "Runtime", "java21",
                "Architectures", List.of("arm64"),
                "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                "Environment", Map.of("Variables", Map.of(ApiStack.TOKENS_SECRET_ENV, ref(stack.tokenSecret())))));
    }

    @Test
    void authorizerPolicy_allowsOnlyGetSecretValueOnTheTokenSecret() {
        List<Map<String, Object>> statements = statementsOf(stack.authorizer().role());

        assertThat(statements).filteredOn(s -> String.valueOf(s.get("Action")).contains("secretsmanager"))
                .singleElement()
                .satisfies(s -> assertThat(s)
                        .containsEntry("Action", "secretsmanager:GetSecretValue")
                        .containsEntry("Resource", ref(stack.tokenSecret())));
        assertThat(statements).extracting(s -> String.valueOf(s.get("Action")))
                .allMatch(action -> action.contains("secretsmanager:GetSecretValue") || action.contains("logs:"));
    }

    @Test
    void trackingPolicy_grantsTableReadWriteAndArtifactObjectsIncludingMultipartAndDelete() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.TRACKING).role());
        String all = statements.toString();

        assertThat(all).contains("dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                "s3:GetObject*", "s3:PutObject", "s3:DeleteObject*", "s3:Abort*", "s3:List*");
        assertThat(all).contains(logicalId(storage.table()), logicalId(storage.bucket(BucketDefinition.ARTIFACTS)))
                .doesNotContain(logicalId(storage.bucket(BucketDefinition.DATASETS)))
                .doesNotContain(logicalId(storage.bucket(BucketDefinition.CAPTURE)));
    }

    @Test
    void trackingPolicy_deniesEveryWriteAndDeleteUnderTheRegistrysCopies() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.TRACKING).role());

        Map<String, Object> deny = statements.stream().filter(s -> "Deny".equals(s.get("Effect"))).findFirst()
                .orElseThrow(() -> new AssertionError("no Deny statement in " + statements));
        assertThat(deny.get("Action").toString()).contains("s3:PutObject", "s3:DeleteObject",
                "s3:DeleteObjectVersion", "s3:AbortMultipartUpload");
        assertThat(deny.get("Resource").toString()).contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS)))
                .contains("/" + KeyPrefixes.REGISTRY + "*");
    }

    @Test
    void deploy_sendsTheTrackingAliasTheIndexRunsEvent_andMayInvokeNothingElse() {
        Map<String, Map<String, Object>> calls = template.findResources("Custom::AWS");

        assertThat(calls).hasSize(1);
        Map<String, Object> call = properties(calls.values().iterator().next());
        String create = String.valueOf(call.get("Create"));
        assertThat(create).contains("\"action\":\"invoke\"").contains("\"InvocationType\":\"Event\"")
                .contains("capstan.maintenance").contains("index-runs").contains("run-search-index-layout-1")
                .contains(logicalId(stack.function(FunctionId.TRACKING).alias()));
        assertThat(String.valueOf(call.get("Update"))).isEqualTo(create);
        List<Map<String, Object>> invokes = Templates.allStatements(template).stream()
                .filter(st -> actions(st).contains("lambda:InvokeFunction")).toList();
        assertThat(invokes).hasSize(2).allSatisfy(st -> assertThat(String.valueOf(st.get("Resource")))
                .doesNotContain("\"*\"").containsAnyOf(logicalId(stack.function(FunctionId.TRACKING).alias()),
                        logicalId(stack.function(FunctionId.REGISTRY).alias())));
    }

    @Test
    void registryFunction_mayInvokeOnlyItsOwnAlias_andNoOtherFunctionInvokesAnything() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.REGISTRY).role());

        Map<String, Object> invoke = statements.stream().filter(s -> String.valueOf(s.get("Action"))
                .contains("lambda:InvokeFunction")).findFirst()
                .orElseThrow(() -> new AssertionError("no lambda:InvokeFunction in " + statements));
        assertThat(invoke.get("Action")).isEqualTo("lambda:InvokeFunction");
        assertThat(invoke.get("Resource").toString()).contains(logicalId(stack.function(FunctionId.REGISTRY).alias()))
                .doesNotContain("*");
        for (FunctionId other : FunctionId.values()) {
            if (other != FunctionId.REGISTRY) {
                assertThat(actionsOf(statementsOf(stack.function(other).role()))).as(other.id())
                        .noneMatch(a -> a.startsWith("lambda:"));
            }
        }
    }

    @Test
    void registryPolicy_readsAllArtifactsWritesOnlyUnderRegistryNeverDeletes() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.REGISTRY).role());

        assertThat(s3Statement(statements, "s3:GetObject*").get("Resource").toString())
                .contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS))).contains(", /*]");
        assertThat(s3Statement(statements, "s3:PutObject").get("Resource").toString())
                .contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS)))
                .contains("/" + KeyPrefixes.REGISTRY + "*");
        assertThat(actionsOf(statements)).noneMatch(a -> a.startsWith("s3:DeleteObject") || a.startsWith("states:"));
    }

    @Test
    void predictPolicy_readsTheRegistryCopiesAndTheTableWritesSketchesAndPredictionRecords() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.PREDICT).role());

        assertThat(s3Statement(statements, "s3:GetObject*").get("Resource").toString())
                .contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS)))
                .contains("/" + KeyPrefixes.REGISTRY + "*")
                .doesNotContain(logicalId(storage.bucket(BucketDefinition.CAPTURE)));
        assertThat(statements.stream().filter(statement -> asList(statement.get("Action")).contains("s3:PutObject"))
                .map(statement -> statement.get("Resource").toString()).toList())
                .allMatch(resource -> resource.contains(logicalId(storage.bucket(BucketDefinition.CAPTURE))))
                .anyMatch(resource -> resource.contains("/" + KeyPrefixes.CAPTURE + "*"))
                .anyMatch(resource -> resource.contains("/" + KeyPrefixes.PREDICTIONS + "*"))
                .noneMatch(resource -> resource.contains("/" + KeyPrefixes.FEEDBACK)
                        || resource.contains("/" + KeyPrefixes.REPORTS)
                        || resource.contains(logicalId(storage.bucket(BucketDefinition.ARTIFACTS))));
        assertThat(s3Statement(statements, "s3:GetObject*").get("Resource").toString())
                .doesNotContain(logicalId(storage.bucket(BucketDefinition.CAPTURE)));
        assertThat(actionsOf(statements)).contains("dynamodb:GetItem", "dynamodb:Query")
                .noneMatch(a -> a.equals("dynamodb:PutItem") || a.equals("dynamodb:UpdateItem")
                        || a.startsWith("s3:DeleteObject") || a.startsWith("states:"));
        assertThat(statements.toString()).doesNotContain(logicalId(storage.bucket(BucketDefinition.DATASETS)));
    }

    @Test
    void qualityPolicy_readsRecordsAndDatasets_writesFeedbackAndReports_promotesAndStartsRetraining() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.QUALITY).role());
        List<String> s3Resources = statements.stream().filter(statement -> actions(statement).stream()
                .anyMatch(action -> action.startsWith("s3:"))).map(statement -> statement.get("Resource").toString())
                .toList();

        String athenaResults = logicalId(storage.resources().qualityQueries().orElseThrow().results());
        assertThat(s3Resources).isNotEmpty()
                .allMatch(resource -> resource.contains(logicalId(storage.bucket(BucketDefinition.CAPTURE)))
                        || resource.contains(logicalId(storage.bucket(BucketDefinition.DATASETS))) && (resource.contains(
                        "/" + KeyPrefixes.FEEDBACK + "*") || resource.contains("/" + KeyPrefixes.DATASETS + "*"))
                        || resource.contains(athenaResults));
        assertThat(s3Resources).filteredOn(resource -> resource.contains(athenaResults))
                .allMatch(resource -> resource.contains("/athena/*") || !resource.contains("/"));
        assertThat(statements.stream().filter(statement -> asList(statement.get("Action")).contains("s3:PutObject"))
                .map(statement -> statement.get("Resource").toString()).toList())
                .allMatch(resource -> resource.contains("/" + KeyPrefixes.FEEDBACK + "*")
                        || resource.contains("/" + KeyPrefixes.QUALITY + "*")
                        || resource.contains(athenaResults) && resource.contains("/athena/*"))
                .noneMatch(resource -> resource.contains("/" + KeyPrefixes.PREDICTIONS));
        assertThat(actionsOf(statements)).contains("dynamodb:GetItem", "dynamodb:PutItem", "states:StartExecution")
                .noneMatch(a -> a.equals("states:SendTaskSuccess"));
        assertThat(statements).filteredOn(s -> actions(s).contains("s3:DeleteObject*"))
                .allSatisfy(s -> assertThat(s.get("Resource").toString()).contains(athenaResults, "/athena/*"));
        assertThat(statements).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("athena:")))
                .singleElement().satisfies(s -> {
                    assertThat(actions(s)).containsExactlyInAnyOrder("athena:StartQueryExecution",
                            "athena:GetQueryExecution", "athena:StopQueryExecution", "athena:GetQueryResults");
                    assertThat(s.get("Resource").toString()).contains(":workgroup/").doesNotContain("*");
                });
        assertThat(statements).filteredOn(s -> actions(s).stream().anyMatch(a -> a.startsWith("glue:")))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(":catalog", ":database/", ":table/").doesNotContain("*"));
        for (FunctionId other : FunctionId.values()) {
            assertThat(FunctionAccess.of(other).qualityQueries()).as(other.id()).isEqualTo(other == FunctionId.QUALITY);
        }
    }

    @Test
    void pipelinePolicy_operatesTheRetrainingStateMachineAndNoBucket() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.PIPELINE).role());

        assertThat(actionsOf(statements)).filteredOn(a -> a.startsWith("states:")).containsExactlyInAnyOrder(
                "states:StartExecution", "states:DescribeExecution", "states:GetExecutionHistory",
                "states:ListExecutions", "states:SendTaskSuccess", "states:SendTaskFailure");
        assertThat(statements).filteredOn(s -> String.valueOf(s.get("Action")).contains("states:"))
                .allSatisfy(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(pipeline.retraining().stateMachine())));
        assertThat(actionsOf(statements)).noneMatch(a -> a.startsWith("s3:"));
    }

    @Test
    void driftPolicy_startsRetrainingOnlyReadsItsInputsWritesReportsOnlyUnderReports() {
        List<Map<String, Object>> statements = statementsOf(stack.function(FunctionId.DRIFT).role());

        // retraining started; a distributed check started and read back, on the profile state machine only
        assertThat(actionsOf(statements)).filteredOn(a -> a.startsWith("states:"))
                .containsExactlyInAnyOrder("states:StartExecution", "states:StartExecution",
                        "states:DescribeExecution");
        assertThat(statements).filteredOn(s -> String.valueOf(s.get("Action")).contains("states:DescribeExecution"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(pipeline.driftProfiles().stateMachine())));
        assertThat(statements).filteredOn(s -> String.valueOf(s.get("Action")).contains("s3:PutObject"))
                .singleElement().satisfies(s -> assertThat(s.get("Resource").toString())
                        .contains(logicalId(storage.bucket(BucketDefinition.CAPTURE)))
                        .contains("/" + KeyPrefixes.REPORTS + "*"));
        assertThat(statements).filteredOn(s -> String.valueOf(s.get("Action")).contains("s3:GetObject*"))
                .hasSize(BucketDefinition.all().size());
        assertThat(actionsOf(statements)).noneMatch(a -> a.startsWith("s3:DeleteObject")
                || a.startsWith("cloudwatch:"));
    }

    @Test
    void policies_noDynamoDbOrS3ActionOnAWildcardResource() {
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(policy -> statements.addAll(statements(policy)));

        assertThat(statements).isNotEmpty().noneSatisfy(statement -> {
            assertThat(String.valueOf(statement.get("Action"))).containsAnyOf("dynamodb:", "s3:");
            assertThat(asList(statement.get("Resource"))).contains("*");
        });
    }

    @Test
    void roles_haveNoManagedPolicies() {
        // the functions, the authorizer and the deploy step that sends the index-runs event
        assertThat(template.findResources("AWS::IAM::Role").values()).hasSize(FUNCTIONS + 2)
                .allSatisfy(role -> assertThat(properties(role)).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void logGroups_functionsAndAccessLogsKeptOneMonth() {
        // the functions, the authorizer, the deploy step and the two APIs' access logs
        assertThat(template.findResources("AWS::Logs::LogGroup").values()).hasSize(FUNCTIONS + 2 + 2)
                .allSatisfy(group -> assertThat(properties(group)).containsEntry("RetentionInDays", 30)
                        .doesNotContainKey("LogGroupName"));
    }

    @Test
    void stages_writeJsonAccessLogsWithTheRequestIdAndCaller() {
        for (RoutedHttpApi api : List.of(stack.tokenApi(), stack.iamApi())) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                    "ApiId", ref(api.api()),
                    "StageName", "$default",
                    "AutoDeploy", true,
                    "AccessLogSettings", Map.of(
                            "DestinationArn", Match.anyValue(),
                            "Format", Match.serializedJson(Match.objectLike(Map.of(
                                    "requestId", "$context.requestId",
                                    "caller", "$context.authorizer.caller",
                                    "userArn", "$context.identity.userArn"))))));
        }
    }

    @Test
    void tokenSecret_startsWithNoTokens() {
        template.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
                "SecretString", ApiStack.EMPTY_TOKENS,
                "Name", Match.absent()));
    }

    @Test
    void outputs_bothApiUrlsAndTheSecretArn() {
        template.hasOutput("MlflowTrackingUri", Map.of(
                "Value", Map.of("Fn::GetAtt", List.of(logicalId(stack.tokenApi().api()), "ApiEndpoint"))));
        template.hasOutput("IamApiUrl", Map.of(
                "Value", Map.of("Fn::GetAtt", List.of(logicalId(stack.iamApi().api()), "ApiEndpoint"))));
        template.hasOutput("TokenSecretArn", Map.of("Value", ref(stack.tokenSecret())));
    }

    private static List<String> actionsOf(List<Map<String, Object>> statements) {
        return statements.stream().flatMap(statement -> actions(statement).stream()).toList();
    }

    /** The one S3 statement allowing {@code action}. */
    private static Map<String, Object> s3Statement(List<Map<String, Object>> statements, String action) {
        List<Map<String, Object>> found = statements.stream()
                .filter(statement -> asList(statement.get("Action")).contains(action)).toList();
        assertThat(found).as("statements allowing %s", action).hasSize(1);
        return found.get(0);
    }

    private static List<FunctionId> functionIds() {
        return Arrays.stream(FunctionId.values()).filter(f -> ROUTES.stream().anyMatch(r -> r.function() == f)).toList();
    }

    private static List<Map<String, Object>> routesOf(RoutedHttpApi api) {
        return template.findResources("AWS::ApiGatewayV2::Route").values().stream()
                .map(Templates::properties)
                .filter(route -> ref(api.api()).equals(route.get("ApiId")))
                .toList();
    }

    private static List<String> routeKeysOf(RoutedHttpApi api) {
        return routesOf(api).stream().map(route -> (String) route.get("RouteKey")).toList();
    }

    private static String onlyLogicalId(String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertThat(found).hasSize(1);
        return found.keySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(CapstanFunction function) {
        Map<String, Object> resource = template.findResources("AWS::Lambda::Function").get(logicalId(function.function()));
        Map<String, Object> environment = (Map<String, Object>) properties(resource).get("Environment");
        return environment == null ? Map.of() : (Map<String, Object>) environment.get("Variables");
    }

    private static List<Map<String, Object>> statementsOf(IConstruct role) {
        return Templates.statementsOf(template, role);
    }
}
