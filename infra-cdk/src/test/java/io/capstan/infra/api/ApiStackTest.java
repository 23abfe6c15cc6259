package io.capstan.infra.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.infra.function.CapstanFunction;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageDefinitions;
import io.capstan.infra.storage.StorageStack;
import io.capstan.infra.testutils.TestApps;
import io.capstan.storage.BucketDefinition;
import io.capstan.storage.TableDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

class ApiStackTest {

    @TempDir
    static Path codeDir;

    private static final List<Route> ROUTES = RouteTable.capstan().routes();
    private static final int FUNCTIONS = (int) ROUTES.stream().map(Route::function).distinct().count();

    private static StorageStack storage;
    private static ApiStack stack;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        App app = TestApps.withStandInJars(codeDir);
        storage = new StorageStack(app, "Storage", StorageDefinitions.capstan());
        stack = new ApiStack(app, "Api",
                new ApiStackProps(storage.resources(), RouteTable.capstan(), FunctionCode.fromContext(app)));
        template = Template.fromStack(stack);
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
    void routes_tokenApi_allUseTheBearerTokenAuthorizer() {
        String authorizer = onlyLogicalId("AWS::ApiGatewayV2::Authorizer");

        assertThat(routesOf(stack.tokenApi())).hasSize(ROUTES.size()).allSatisfy(route -> assertThat(route)
                .containsEntry("AuthorizationType", "CUSTOM")
                .containsEntry("AuthorizerId", Map.of("Ref", authorizer)));
    }

    @Test
    void routes_iamApi_allRequireSigV4() {
        assertThat(routesOf(stack.iamApi())).hasSize(ROUTES.size()).allSatisfy(route -> assertThat(route)
                .containsEntry("AuthorizationType", "AWS_IAM")
                .doesNotContainKey("AuthorizerId"));
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
                "MemorySize", 1024,
                "Timeout", 30,
                "LoggingConfig", Map.of("LogFormat", "JSON", "LogGroup", Match.objectLike(Map.of())),
                "Role", Map.of("Fn::GetAtt", List.of(logicalId(created.role()), "Arn"))));
    }

    @ParameterizedTest
    @EnumSource(FunctionId.class)
    void function_environment_namesEveryTableAndBucketFromTheDefinitions(FunctionId function) {
        Map<String, Object> variables = environment(stack.function(function));

        List<String> expected = new ArrayList<>(List.of(TableDefinition.METADATA.tableNameEnvVar()));
        BucketDefinition.all().forEach(bucket -> expected.add(bucket.nameEnvVar()));
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
        assertThat(template.findResources("AWS::IAM::Role").values()).hasSize(FUNCTIONS + 1)
                .allSatisfy(role -> assertThat(properties(role)).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void logGroups_functionsAndAccessLogsKeptOneMonth() {
        assertThat(template.findResources("AWS::Logs::LogGroup").values()).hasSize(FUNCTIONS + 1 + 2)
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

    private static List<FunctionId> functionIds() {
        return Arrays.stream(FunctionId.values()).filter(f -> ROUTES.stream().anyMatch(r -> r.function() == f)).toList();
    }

    private static List<Map<String, Object>> routesOf(RoutedHttpApi api) {
        return template.findResources("AWS::ApiGatewayV2::Route").values().stream()
                .map(ApiStackTest::properties)
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
        return (Map<String, Object>) environment.get("Variables");
    }

    private static List<Map<String, Object>> statementsOf(IConstruct role) {
        String roleId = logicalId(role);
        List<Map<String, Object>> statements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> String.valueOf(properties(policy).get("Roles")).contains(roleId))
                .forEach(policy -> statements.addAll(statements(policy)));
        return statements;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        Map<String, Object> document = (Map<String, Object>) properties(policy).get("PolicyDocument");
        return (List<Map<String, Object>>) document.get("Statement");
    }

    private static List<Object> asList(Object value) {
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    private static Map<String, Object> ref(IConstruct construct) {
        return Map.of("Ref", logicalId(construct));
    }

    private static String logicalId(IConstruct construct) {
        IConstruct child = construct.getNode().getDefaultChild();
        CfnElement element = (CfnElement) (child == null ? construct : child);
        return Stack.of(element).getLogicalId(element);
    }
}
