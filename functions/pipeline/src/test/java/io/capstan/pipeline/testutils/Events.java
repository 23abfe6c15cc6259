package io.capstan.pipeline.testutils;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The sample events under {@code src/test/resources/events/}, with {@code ${NAME}} placeholders filled in. API Gateway
 * events are read into the Lambda events library's class with Jackson (the runtime's own serializer is not on this
 * module's classpath); fields the class does not model are skipped, as the runtime skips them.
 */
public final class Events {
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Events() {
    }

    public static String text(String resource, Map<String, String> values) {
        try (InputStream in = Events.class.getResourceAsStream("/events/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample event events/" + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace("${" + v.getKey() + "}", v.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An API Gateway HTTP API event, as the bytes Lambda hands a stream handler. */
    public static byte[] apiGateway(String resource, Map<String, String> values) {
        return text(resource, values).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** What a stream handler wrote back, read as the API Gateway response it stands for. */
    public static APIGatewayV2HTTPResponse apiGatewayResponse(byte[] written) {
        try {
            return LENIENT.readValue(written, APIGatewayV2HTTPResponse.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
