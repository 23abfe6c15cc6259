package io.capstan.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Converts API Gateway HTTP API (payload 2.0) events to Capstan's HTTP model and back. */
public final class ApiGatewayAdapter {
    private ApiGatewayAdapter() {
    }

    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
        String rawPath = event.getRawPath() != null ? event.getRawPath() : "/";
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? Base64.getDecoder().decode(event.getBody())
                : event.getBody().getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, QueryString.decodePath(rawPath), QueryString.parse(event.getRawQueryString()),
                event.getHeaders(), body, callerOf(context));
    }

    public static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        APIGatewayV2HTTPResponse.APIGatewayV2HTTPResponseBuilder out = APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers());
        if (response.isTextual()) {
            out.withBody(response.bodyAsString()).withIsBase64Encoded(false);
        } else {
            out.withBody(Base64.getEncoder().encodeToString(response.body())).withIsBase64Encoded(true);
        }
        return out.build();
    }

    /** The IAM caller's ARN, or the name the bearer-token authorizer put in its context. */
    private static String callerOf(APIGatewayV2HTTPEvent.RequestContext context) {
        if (context == null || context.getAuthorizer() == null) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context.getAuthorizer();
        if (authorizer.getIam() != null && authorizer.getIam().getUserArn() != null) {
            return authorizer.getIam().getUserArn();
        }
        Map<String, Object> lambda = authorizer.getLambda();
        return Optional.ofNullable(lambda).map(l -> l.get("caller")).map(Object::toString).orElse(null);
    }
}
