package io.capstan.predict.function;

import static io.capstan.predict.testutils.Requests.json;
import static io.capstan.predict.testutils.Requests.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.HttpResponse;
import io.capstan.model.ModelSignature;
import io.capstan.predict.testutils.ConvertedModelsFixture;
import io.capstan.predict.testutils.OnnxFixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request's {@code params}, checked as MLflow 2.12's {@code _enforce_params_schema} checks them: against the
 * signature's parameters when it declares some (on both paths), accepted and ignored when it declares none.
 */
class ParamsTest {
    private static final String WITH_PARAMS = "torch-image-with-params";
    private static final String TABULAR_WITH_PARAMS = "iris-with-params";
    private static final String PARAMS = "[{\"name\": \"temperature\", \"type\": \"double\", \"default\": 1.0,"
            + " \"shape\": null}, {\"name\": \"top_k\", \"type\": \"long\", \"default\": 3, \"shape\": null},"
            + " {\"name\": \"verbose\", \"type\": \"boolean\", \"default\": false, \"shape\": null},"
            + " {\"name\": \"tags\", \"type\": \"string\", \"default\": [\"a\"], \"shape\": [-1]}]";
    @AutoClose
    private static final ConvertedModelsFixture fixture = new ConvertedModelsFixture();
    private static String image;

    @BeforeAll
    static void start() {
        fixture.resolver.register(WITH_PARAMS, 1, fixture.torchImage.manifest(null, ModelSignature.parse(null, null,
                PARAMS)), fixture.torchImage.onnx());
        ModelSignature iris = fixture.iris.signature();
        fixture.resolver.register(TABULAR_WITH_PARAMS, 1, fixture.iris.manifest(OnnxFixtures.irisZipmapCard(),
                ModelSignature.parse(iris.inputsJson(), iris.outputsJson(), PARAMS)), fixture.iris.onnx());
        image = fixture.torchImage.expected().at("/invocations_request/inputs").toString();
    }

    static Stream<Arguments> validParams() {
        return Stream.of(
                Arguments.of("{\"temperature\": 0.5, \"top_k\": 5, \"verbose\": true, \"tags\": [\"x\", \"y\"]}"),
                Arguments.of("{\"temperature\": 2}"),
                Arguments.of("{\"unknown\": \"ignored, as MLflow ignores it\"}"),
                Arguments.of("{\"top_k\": null}"),
                Arguments.of("{}"));
    }

    @ParameterizedTest
    @MethodSource("validParams")
    void invocations_paramsOfTheSignature_areAccepted(String params) {
        HttpResponse response = fixture.call(post("/models/" + WITH_PARAMS + "/invocations", "{\"inputs\": " + image
                + ", \"params\": " + params + "}"));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
    }

    static Stream<Arguments> invalidParams() {
        return Stream.of(
                Arguments.of("{\"top_k\": \"5\"}", "Invalid parameters found: {('top_k', 'Incompatible types for param"
                        + " top_k. Can not safely convert str to long.')}"),
                Arguments.of("{\"top_k\": 2.5}", "Can not safely convert float to long."),
                Arguments.of("{\"verbose\": 1}", "Can not safely convert int to boolean."),
                Arguments.of("{\"temperature\": [1.0]}", "Value should be a scalar for param temperature"),
                Arguments.of("{\"tags\": \"x\"}", "Value must be a 1D array with shape (-1,) for param tags"),
                Arguments.of("{\"tags\": [\"x\", 1]}", "Can not safely convert int to string."),
                Arguments.of("[1, 2]", "Parameters must be a dictionary. Got type 'list'."));
    }

    @ParameterizedTest
    @MethodSource("invalidParams")
    void invocations_paramsAgainstTheSignature_answer400NamingTheParameter(String params, String message) {
        for (String model : new String[]{WITH_PARAMS, TABULAR_WITH_PARAMS}) {
            String data = model.equals(WITH_PARAMS) ? image : fixture.iris.rows().toString();

            HttpResponse response = fixture.call(post("/models/" + model + "/invocations", "{\"inputs\": " + data
                    + ", \"params\": " + params + "}"));

            assertThat(response.status()).as(model + ": " + response.bodyAsString()).isEqualTo(400);
            assertThat(json(response).get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(json(response).get("message").asText()).contains(message);
        }
    }

    @Test
    void invocations_paramsForAModelWithoutParameters_areIgnoredAsMlflowDoes() {
        HttpResponse response = fixture.call(post("/models/" + ConvertedModelsFixture.TORCH_IMAGE + "/invocations",
                "{\"inputs\": " + image + ", \"params\": [\"not even an object\"]}"));

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
    }
}
