package io.capstan.lambda;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The one converter between API Gateway HTTP API events (payload format 2.0) and Capstan's HTTP model, for every
 * function's Lambda entry point. It reads token by token: a request body, up to 6 MB of JSON inside a JSON string, is
 * unescaped once and never bound to objects. The method comes from the request context, the caller from its
 * authorizer (the IAM principal's ARN, or the {@code caller} the bearer-token authorizer sets).
 */
public final class ApiGatewayEvents {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ApiGatewayEvents() {
    }

    /** Reads an event from {@code in}, answers it with {@code function}, and writes the response to {@code out}. */
    public static void serve(InputStream in, OutputStream out, Function<HttpRequest, HttpResponse> function)
            throws IOException {
        write(function.apply(read(in.readAllBytes())), out);
    }

    /**
     * The request an event carries.
     *
     * @throws IOException when {@code event} is not a JSON object
     */
    public static HttpRequest read(byte[] event) throws IOException {
        String method = "GET";
        String rawPath = "/";
        String rawQuery = null;
        Map<String, String> headers = new HashMap<>();
        String body = null;
        boolean base64 = false;
        String caller = null;
        try (JsonParser p = JSON.createParser(event)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "rawPath" -> rawPath = p.getText();
                    case "rawQueryString" -> rawQuery = p.getText();
                    case "body" -> body = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "isBase64Encoded" -> base64 = value == JsonToken.VALUE_TRUE;
                    case "headers" -> readHeaders(p, headers);
                    case "requestContext" -> {
                        Map<String, String> context = new HashMap<>();
                        readContext(p, "", context);
                        method = context.getOrDefault("http.method", method);
                        caller = context.getOrDefault("authorizer.iam.userArn",
                                context.get("authorizer.lambda.caller"));
                    }
                    default -> p.skipChildren();
                }
            }
        }
        byte[] bytes = body == null ? new byte[0]
                : base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, QueryString.decodePath(rawPath), QueryString.parse(rawQuery), headers, bytes,
                caller);
    }

    /** Writes {@code response} as the event API Gateway expects back: text bodies as is, others base64. */
    public static void write(HttpResponse response, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("statusCode", response.status());
            json.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> header : response.headers().entrySet()) {
                json.writeStringField(header.getKey(), header.getValue());
            }
            json.writeEndObject();
            if (response.isTextual()) {
                json.writeFieldName("body");
                json.writeUTF8String(response.body(), 0, response.body().length);
                json.writeBooleanField("isBase64Encoded", false);
            } else {
                json.writeStringField("body", Base64.getEncoder().encodeToString(response.body()));
                json.writeBooleanField("isBase64Encoded", true);
            }
            json.writeEndObject();
        }
    }

    private static void readHeaders(JsonParser p, Map<String, String> headers) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (p.currentToken().isScalarValue()) {
                headers.put(name, p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    /** Flattens the request context's scalar fields to dotted keys ({@code http.method}). */
    private static void readContext(JsonParser p, String prefix, Map<String, String> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = prefix + p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                readContext(p, key + ".", out);
            } else if (value == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                out.put(key, p.getText());
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("not an API Gateway HTTP API event: expected " + expected + ", got " + actual);
        }
    }
}
