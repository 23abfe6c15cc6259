package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a chunk's part: each row's id, then its prediction's fields. */
sealed interface PartWriter extends AutoCloseable permits TextPartWriter, ParquetPartWriter {

    void write(String id, JsonNode prediction) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * A prediction's fields as a part's columns: an object's fields by name, nested objects' with dots
     * ({@code probabilities.<class>}), the prediction id left out (the row's id is written instead); anything else is
     * one column, {@code prediction}.
     */
    static Map<String, JsonNode> columns(JsonNode prediction) {
        Map<String, JsonNode> into = new LinkedHashMap<>();
        flatten("", prediction, into);
        return into;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (!(prefix.isEmpty() && field.getKey().equals("prediction_id"))) {
                    flatten(prefix + field.getKey() + ".", field.getValue(), into);
                }
            });
        } else {
            into.put(prefix.isEmpty() ? "prediction" : prefix.substring(0, prefix.length() - 1), node);
        }
    }
}
