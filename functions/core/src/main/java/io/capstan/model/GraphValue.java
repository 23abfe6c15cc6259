package io.capstan.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One input or output of an ONNX graph, as the graph declares it.
 *
 * @param name        the value's name in the graph
 * @param kind        a tensor, a sequence of maps (ONNX's ZipMap output), or something else
 * @param elementType ONNX's name of the element type ({@code float}, {@code double}, {@code int64}, {@code string},
 *                    {@code bool}, …); for a sequence of maps, the map's value type
 * @param shape       the dimensions, {@code -1} where the graph leaves one open (a symbolic or missing dimension);
 *                    empty for a scalar or for a value that is not a tensor
 * @param keyType     for a sequence of maps, the map's key type ({@code int64} or {@code string}); null otherwise
 */
public record GraphValue(String name, Kind kind, String elementType, List<Long> shape, String keyType) {

    public GraphValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        elementType = elementType == null ? "" : elementType;
        shape = List.copyOf(shape);
    }

    /** A tensor value. */
    public static GraphValue tensor(String name, String elementType, List<Long> shape) {
        return new GraphValue(name, Kind.TENSOR, elementType, shape, null);
    }

    /** The rank of a tensor: the number of its dimensions. */
    public int rank() {
        return shape.size();
    }

    /** The size of dimension {@code i}, or -1 when the graph leaves it open. */
    public long dim(int i) {
        return shape.get(i);
    }

    /** What a graph value is. */
    public enum Kind {
        TENSOR, SEQUENCE_OF_MAPS, OTHER
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        node.put("type", elementType);
        shape.forEach(node.putArray("shape")::add);
        if (shape.isEmpty()) {
            node.putArray("shape");
        }
        if (keyType != null) {
            node.put("key_type", keyType);
        }
        return node;
    }

    static GraphValue fromJson(JsonNode node) {
        List<Long> dims = new ArrayList<>();
        node.path("shape").forEach(d -> dims.add(d.asLong()));
        Kind kind = Kind.valueOf(node.path("kind").asText("tensor").toUpperCase(java.util.Locale.ROOT));
        return new GraphValue(node.path("name").asText(), kind, node.path("type").asText(""), dims,
                node.hasNonNull("key_type") ? node.get("key_type").asText() : null);
    }
}
