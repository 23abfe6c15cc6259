package io.capstan.authorizer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the token secret's JSON: {@code {"tokens": {"<caller name>": "<sha256 hex of the token>"}}}. Other
 * top-level fields are ignored, so an administrator may keep notes beside the tokens.
 */
public final class TokenSecretFormat {

    /** The top-level field holding the digests by caller name. */
    public static final String TOKENS_FIELD = "tokens";

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TokenSecretFormat() {
    }

    /**
     * @param secretString the secret's value
     * @return the digests it holds
     * @throws InvalidTokenSecretException when the value is not of the documented shape
     */
    public static TokenDigests parse(String secretString) {
        if (secretString == null) {
            throw invalid("the secret has no string value");
        }
        try (JsonParser parser = JSON.createParser(secretString)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the secret is not a JSON object");
            }
            Map<String, String> tokens = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (TOKENS_FIELD.equals(field)) {
                    tokens = readTokens(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            if (tokens == null) {
                throw invalid("the secret has no \"" + TOKENS_FIELD + "\" field");
            }
            return new TokenDigests(tokens);
        } catch (JsonProcessingException e) {
            // the message may quote the offending text: keep it out of ours
            throw invalid("the secret is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readTokens(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw invalid("\"" + TOKENS_FIELD + "\" is not an object of name to digest");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                throw invalid("token '" + name + "' is not a string of 64 hex characters");
            }
            tokens.put(name, parser.getText());
        }
        return tokens;
    }

    private static InvalidTokenSecretException invalid(String what) {
        return new InvalidTokenSecretException(what
                + "; expected {\"" + TOKENS_FIELD + "\": {\"<name>\": \"<sha256 hex of the token>\"}} (see docs/DEPLOY.md)");
    }
}
