package io.capstan.pipeline.testutils;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
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

    public static APIGatewayV2HTTPEvent apiGateway(String resource, Map<String, String> values) {
        try {
            return LENIENT.readValue(text(resource, values), APIGatewayV2HTTPEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
