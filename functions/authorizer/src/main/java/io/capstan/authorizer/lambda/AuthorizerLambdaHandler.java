package io.capstan.authorizer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.capstan.authorizer.AuthorizationDecision;
import io.capstan.authorizer.AuthorizationDecision.Allowed;
import io.capstan.authorizer.AuthorizationDecision.Denied;
import io.capstan.authorizer.BearerTokenAuthorizer;
import io.capstan.authorizer.CachingTokenDigestsSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * API Gateway HTTP API Lambda authorizer (payload 2.0, simple response): answers
 * {@code {"isAuthorized": true, "context": {"caller": "<token name>"}}} for a known bearer token and
 * {@code {"isAuthorized": false}} otherwise. When the token secret cannot be read or is malformed the handler
 * throws, so API Gateway answers 500 and caches nothing, rather than caching a denial for valid tokens.
 */
public final class AuthorizerLambdaHandler
        implements RequestHandler<APIGatewayV2CustomAuthorizerEvent, Map<String, Object>> {

    /** Environment variable holding the ARN of the token secret. */
    public static final String TOKENS_SECRET_ENV = "CAPSTAN_TOKENS_SECRET_ARN";
    /** How long one container uses the digests it read before reading the secret again. */
    public static final Duration TOKENS_CACHE_TTL = Duration.ofMinutes(5);

    private static final String AUTHORIZATION = "authorization";

    private final BearerTokenAuthorizer authorizer;

    /** Lambda's entry: reads the environment once and builds the Secrets Manager client. */
    public AuthorizerLambdaHandler() {
        this(fromEnvironment(System.getenv(), Clock.systemUTC()));
    }

    public AuthorizerLambdaHandler(BearerTokenAuthorizer authorizer) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    }

    static BearerTokenAuthorizer fromEnvironment(Map<String, String> env, Clock clock) {
        String secretArn = env.get(TOKENS_SECRET_ENV);
        if (secretArn == null || secretArn.isBlank()) {
            throw new IllegalStateException(TOKENS_SECRET_ENV + " is not set; the CDK ApiStack sets it to the "
                    + "token secret's ARN");
        }
        String region = env.get("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("AWS_REGION is not set; Lambda sets it, set it yourself elsewhere");
        }
        SecretsManagerClient client = SecretsManagerClient.builder()
                .region(Region.of(region))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return new BearerTokenAuthorizer(new CachingTokenDigestsSource(
                new SecretsManagerTokenDigestsSource(client, secretArn), clock, TOKENS_CACHE_TTL));
    }

    @Override
    public Map<String, Object> handleRequest(APIGatewayV2CustomAuthorizerEvent event, Context context) {
        AuthorizationDecision decision = authorizer.authorize(authorizationHeader(event));
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (decision instanceof Allowed allowed) {
            log(logger, LogLevel.INFO, "allowed caller=" + allowed.caller() + " route=" + event.getRouteKey());
            return Map.of("isAuthorized", true, "context", Map.of("caller", allowed.caller()));
        }
        Denied denied = (Denied) decision;
        log(logger, LogLevel.WARN, "denied reason=" + denied.reason() + " route=" + event.getRouteKey());
        return Map.of("isAuthorized", false);
    }

    private static String authorizationHeader(APIGatewayV2CustomAuthorizerEvent event) {
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (AUTHORIZATION.equalsIgnoreCase(header.getKey())) {
                    return header.getValue();
                }
            }
        }
        List<String> identitySource = event.getIdentitySource();
        return identitySource == null || identitySource.isEmpty() ? null : identitySource.get(0);
    }

    private static void log(LambdaLogger logger, LogLevel level, String message) {
        if (logger != null) {
            logger.log(message, level);
        }
    }
}
