package io.capstan.infra.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.infra.nag.NagFindings;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpNoneAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * An HTTP API with one route per route-table entry, every route behind the same authorizer (but the open ones, the
 * console's files: {@link FunctionId#open()}), each integrated
 * with its function's alias, and JSON access logs in a log group. Each function gets one integration and one
 * invoke permission for the whole API, not one per route, so a function's resource policy stays far below
 * Lambda's 20 KB limit however many routes it serves.
 */
public final class RoutedHttpApi extends Construct {

    /** How long access logs are kept. */
    public static final RetentionDays ACCESS_LOG_RETENTION = RetentionDays.ONE_MONTH;

    private final HttpApi api;
    private final HttpStage stage;

    /**
     * What a {@link RoutedHttpApi} serves.
     *
     * @param description one line shown in the API Gateway console
     * @param routes      the routes to create
     * @param targets     the function (alias) behind each {@link FunctionId} the routes name
     * @param authorizer  the authorizer of every route
     */
    public record Props(String description, RouteTable routes, Map<FunctionId, IFunction> targets,
                        IHttpRouteAuthorizer authorizer) {
        public Props {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(routes, "routes");
            Objects.requireNonNull(authorizer, "authorizer");
            targets = Map.copyOf(targets);
            for (Route route : routes.routes()) {
                if (!targets.containsKey(route.function())) {
                    throw new IllegalArgumentException("no function for " + route.function() + ", which serves "
                            + route.routeKey());
                }
            }
        }
    }

    public RoutedHttpApi(Construct scope, String id, Props props) {
        super(scope, id);
        this.api = HttpApi.Builder.create(this, "Api")
                .description(props.description())
                .createDefaultStage(false)
                .defaultAuthorizer(props.authorizer())
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(ACCESS_LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(api)
                .stageName("$default")
                .autoDeploy(true)
                .accessLogSettings(accessLogSettings(new LogGroupLogDestination(accessLogs)))
                .build();
        Map<FunctionId, HttpLambdaIntegration> integrations = new EnumMap<>(FunctionId.class);
        for (Route route : props.routes().routes()) {
            HttpLambdaIntegration integration = integrations.computeIfAbsent(route.function(), function ->
                    new HttpLambdaIntegration(capitalized(function.id()) + "Integration",
                            props.targets().get(function),
                            HttpLambdaIntegrationProps.builder().scopePermissionToRoute(false).build()));
            AddRoutesOptions.Builder options = AddRoutesOptions.builder()
                    .path(route.pathTemplate())
                    .methods(List.of(HttpMethod.valueOf(route.method())))
                    .integration(integration);
            if (route.function().open()) {
                options.authorizer(new HttpNoneAuthorizer());
            }
            List<HttpRoute> added = api.addRoutes(options.build());
            if (route.function().open()) {
                added.forEach(open -> NagFindings.suppress(open, "AwsSolutions-APIG4", "The console's files (its page,"
                        + " scripts and styles) hold no data and are the same for everyone; the page calls the API's"
                        + " other routes, which all require authorization, with the viewer's own token."));
            }
        }
    }

    public HttpApi api() {
        return api;
    }

    /** The base URL, without a trailing slash: what {@code MLFLOW_TRACKING_URI} is set to. */
    public String url() {
        return api.getApiEndpoint();
    }

    public HttpStage stage() {
        return stage;
    }

    static String capitalized(String id) {
        return Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }

    /**
     * One JSON object per request. {@code caller} is the token name the bearer authorizer returned;
     * {@code userArn} is the IAM principal of a SigV4 call. Neither carries the token.
     */
    static String accessLogFormat() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestId", "$context.requestId");
        fields.put("requestTime", "$context.requestTime");
        fields.put("ip", "$context.identity.sourceIp");
        fields.put("routeKey", "$context.routeKey");
        fields.put("status", "$context.status");
        fields.put("protocol", "$context.protocol");
        fields.put("responseLength", "$context.responseLength");
        fields.put("responseLatency", "$context.responseLatency");
        fields.put("integrationLatency", "$context.integrationLatency");
        fields.put("integrationError", "$context.integrationErrorMessage");
        fields.put("authorizerError", "$context.authorizer.error");
        fields.put("caller", "$context.authorizer.caller");
        fields.put("userArn", "$context.identity.userArn");
        try {
            return new ObjectMapper().writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    private static IAccessLogSettings accessLogSettings(IAccessLogDestination destination) {
        AccessLogFormat format = AccessLogFormat.custom(accessLogFormat());
        return new IAccessLogSettings() {
            @Override
            public IAccessLogDestination getDestination() {
                return destination;
            }

            @Override
            public AccessLogFormat getFormat() {
                return format;
            }
        };
    }
}
