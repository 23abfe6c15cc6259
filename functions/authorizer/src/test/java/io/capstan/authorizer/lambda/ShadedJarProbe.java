package io.capstan.authorizer.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import java.util.Map;

/**
 * Run by {@link AuthorizerJarIT} in a fresh JVM whose class path is the shaded jar plus this class: builds the
 * handler the way Lambda does (no-arg constructor, environment) and authorizes each argument as a bearer token,
 * printing one response per line.
 */
public final class ShadedJarProbe {

    private ShadedJarProbe() {
    }

    public static void main(String[] tokens) {
        AuthorizerLambdaHandler handler = new AuthorizerLambdaHandler();
        for (String token : tokens) {
            APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
            event.setRouteKey("GET /health");
            event.setHeaders(Map.of("authorization", "Bearer " + token));
            System.out.println(handler.handleRequest(event, null));
        }
    }
}
