package io.capstan.local.compat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * One recorded HTTP exchange, as {@code mlflow_compat/recorder.py} writes a JSONL line: the request the MLflow client
 * made and the answer Capstan gave. {@code compare} is false, and {@code ignore} names JSON paths (without array
 * indexes), {@code content-type} or {@code /message}, where Capstan was seen to answer otherwise than the stock MLflow
 * server: the replay sends such an exchange but does not hold Capstan to that part of its recorded answer.
 *
 * @param scenario            the suite's scenario, e.g. {@code tracking}
 * @param index               position in the scenario's file, from 1
 * @param method              HTTP method
 * @param path                raw (percent-encoded) path
 * @param query               raw query string, empty when none
 * @param requestContentType  the request's Content-Type, or null
 * @param requestBody         the request's bytes, empty when none
 * @param status              the recorded status
 * @param responseContentType the recorded Content-Type, or null
 * @param responseBody        the recorded answer's bytes
 * @param compare             whether the answer is compared at all
 * @param ignore              the parts of the answer not compared
 */
record WireExchange(String scenario, int index, String method, String path, String query, String requestContentType,
                    byte[] requestBody, int status, String responseContentType, byte[] responseBody, boolean compare,
                    Set<String> ignore) {

    WireExchange {
        ignore = Set.copyOf(ignore);
    }

    /** Reads one JSONL line's tree. */
    static WireExchange of(String scenario, int index, JsonNode line) {
        JsonNode request = line.path("request");
        JsonNode response = line.path("response");
        Set<String> ignore = new TreeSet<>();
        line.path("ignore").forEach(node -> ignore.add(node.asText()));
        return new WireExchange(scenario, index, line.path("method").asText(), line.path("path").asText(),
                line.path("query").asText(""), header(request, "content-type"), body(request),
                response.path("status").asInt(), header(response, "content-type"), body(response),
                line.path("compare").asBoolean(true), ignore);
    }

    /** The test's name: {@code <client>/<scenario>#<n> <METHOD> <path>}. */
    String name(String client) {
        return client + "/" + scenario + "#" + index + " " + method + " " + path;
    }

    /** The bytes as UTF-8 text, or empty when they are not valid UTF-8. */
    static Optional<String> text(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The media type of a Content-Type value, lower case, without parameters; empty for null. */
    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String header(JsonNode message, String name) {
        JsonNode value = message.path("headers").path(name);
        return value.isMissingNode() ? null : value.asText();
    }

    private static byte[] body(JsonNode message) {
        if (message.has("body_gzip")) {
            byte[] zipped = Base64.getDecoder().decode(message.get("body_gzip").asText());
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("a recorded body_gzip does not unzip", e);
            }
        }
        if (message.has("body_base64")) {
            return Base64.getDecoder().decode(message.get("body_base64").asText());
        }
        return message.path("body").asText("").getBytes(StandardCharsets.UTF_8);
    }
}
