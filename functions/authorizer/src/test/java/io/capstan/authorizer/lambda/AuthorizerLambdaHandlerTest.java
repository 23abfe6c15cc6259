package io.capstan.authorizer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import io.capstan.authorizer.BearerTokenAuthorizer;
import io.capstan.authorizer.InvalidTokenSecretException;
import io.capstan.authorizer.TokenSecretFormat;
import io.capstan.authorizer.testutils.RecordingContext;
import io.capstan.authorizer.testutils.SecretsManagerStub;
import io.capstan.authorizer.testutils.Sha256;
import io.capstan.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizerLambdaHandlerTest {

    private static final String TOKEN = "cap_test_token_1";

    private final RecordingContext context = new RecordingContext();
    private final AuthorizerLambdaHandler handler = new AuthorizerLambdaHandler(new BearerTokenAuthorizer(
            () -> TokenSecretFormat.parse(SecretsManagerStub.secretWith("ci", Sha256.hex(TOKEN)))));

    @Test
    void handleRequest_knownToken_returnsSimpleResponseWithCaller() {
        Map<String, Object> response = handler.handleRequest(event(Map.of("authorization", "Bearer " + TOKEN)), context);

        assertThat(response).containsExactlyInAnyOrderEntriesOf(
                Map.of("isAuthorized", true, "context", Map.of("caller", "ci")));
    }

    @Test
    void handleRequest_headerNameInAnyCase_isFound() {
        Map<String, Object> response = handler.handleRequest(event(Map.of("AUTHORIZATION", "Bearer " + TOKEN)), context);

        assertThat(response).containsEntry("isAuthorized", true);
    }

    @Test
    void handleRequest_noHeadersButIdentitySource_usesIdentitySource() {
        APIGatewayV2CustomAuthorizerEvent event = event(null);
        event.setIdentitySource(List.of("Bearer " + TOKEN));

        Map<String, Object> response = handler.handleRequest(event, context);

        assertThat(response).containsEntry("isAuthorized", true);
    }

    @Test
    void handleRequest_unknownToken_returnsNotAuthorizedAndNeverLogsTheToken() {
        Map<String, Object> response = handler.handleRequest(
                event(Map.of("authorization", "Bearer wrong-secret-value")), context);

        assertThat(response).isEqualTo(Map.of("isAuthorized", false));
        assertThat(context.lines()).singleElement().asString()
                .contains("UNKNOWN_TOKEN")
                .doesNotContain("wrong-secret-value");
    }

    @Test
    void handleRequest_knownToken_logsCallerButNotToken() {
        handler.handleRequest(event(Map.of("authorization", "Bearer " + TOKEN)), context);

        assertThat(context.lines()).singleElement().asString().contains("caller=ci").doesNotContain(TOKEN);
    }

    @Test
    void handleRequest_noCredentials_returnsNotAuthorized() {
        Map<String, Object> response = handler.handleRequest(event(null), context);

        assertThat(response).isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void handleRequest_secretUnusable_throwsSoApiGatewayCachesNoDenial() {
        AuthorizerLambdaHandler broken = new AuthorizerLambdaHandler(new BearerTokenAuthorizer(
                () -> TokenSecretFormat.parse("not json")));

        assertThatThrownBy(() -> broken.handleRequest(event(Map.of("authorization", "Bearer " + TOKEN)), context))
                .isInstanceOf(InvalidTokenSecretException.class);
    }

    @Test
    void fromEnvironment_secretArnMissing_throwsNamingTheVariable() {
        assertThatThrownBy(() -> AuthorizerLambdaHandler.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"),
                new MutableClock(Instant.EPOCH)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(AuthorizerLambdaHandler.TOKENS_SECRET_ENV);
    }

    private static APIGatewayV2CustomAuthorizerEvent event(Map<String, String> headers) {
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setVersion("2.0");
        event.setType("REQUEST");
        event.setRouteKey("POST /api/2.0/mlflow/runs/create");
        event.setRawPath("/api/2.0/mlflow/runs/create");
        event.setHeaders(headers);
        return event;
    }
}
