package io.capstan.local.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;

/** A Map's S3 ItemReader on the embedded platform's S3: {@code {"Bucket", "Key"}} in, the object's JSON out. */
public final class ItemReaders {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ItemReaders() {
    }

    /** Reads the JSON object (an array of items: {@code ReaderConfig.InputType} JSON) the Parameters name. */
    public static Function<JsonNode, JsonNode> s3Json(S3Client s3) {
        return location -> {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(location.path("Bucket").asText())
                    .key(location.path("Key").asText())).asByteArray();
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("the items at s3://" + location.path("Bucket").asText() + "/"
                        + location.path("Key").asText() + " are not JSON", e);
            }
        };
    }
}
