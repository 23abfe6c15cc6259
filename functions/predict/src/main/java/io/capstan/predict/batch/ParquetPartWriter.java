package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.predict.batch.parquet.ParquetCodecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * A Parquet part, snappy-compressed: the id column (64-bit integers when the input's id column holds integers,
 * strings otherwise), then the prediction's fields flattened as in CSV, each typed by the chunk's first prediction
 * (integers as INT64, other numbers as DOUBLE, booleans, and strings, arrays as JSON text), all optional. Row groups
 * are cut at {@value #ROW_GROUP_BYTES} bytes, so the writer's memory does not grow with the chunk.
 */
final class ParquetPartWriter implements PartWriter {
    static final int ROW_GROUP_BYTES = 16 << 20;

    private final Path file;
    private final String idName;
    private final boolean integerIds;
    private ParquetWriter<Group> writer;
    private SimpleGroupFactory rows;
    private final List<String> names = new ArrayList<>();
    private final List<PrimitiveTypeName> kinds = new ArrayList<>();

    /**
     * @param integerIds whether the ids are written as integers (the input's id column holds them)
     */
    ParquetPartWriter(Path file, String idName, boolean integerIds) {
        this.file = file;
        this.idName = idName;
        this.integerIds = integerIds;
    }

    @Override
    public void write(String id, JsonNode prediction) throws IOException {
        Map<String, JsonNode> fields = PartWriter.columns(prediction);
        if (writer == null) {
            fields.forEach((name, value) -> {
                names.add(name);
                kinds.add(value.isBoolean() ? PrimitiveTypeName.BOOLEAN
                        : value.isIntegralNumber() ? PrimitiveTypeName.INT64
                        : value.isNumber() ? PrimitiveTypeName.DOUBLE
                        : PrimitiveTypeName.BINARY);
            });
            start();
        }
        Group row = rows.newGroup();
        if (integerIds) {
            try {
                row.append(idName, Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw new IllegalStateException("the id '" + id + "' is not an integer, as the id column '"
                        + idName + "' is");
            }
        } else {
            row.append(idName, id);
        }
        for (int i = 0; i < names.size(); i++) {
            JsonNode value = fields.get(names.get(i));
            if (value == null || value.isNull()) {
                continue;
            }
            String name = names.get(i);
            switch (kinds.get(i)) {
                case BOOLEAN -> row.append(name, expect(value, value.isBoolean(), name).booleanValue());
                case INT64 -> row.append(name, expect(value, value.canConvertToExactIntegral(), name).longValue());
                case DOUBLE -> row.append(name, expect(value, value.isNumber(), name).doubleValue());
                default -> row.append(name, value.isValueNode() ? value.asText() : value.toString());
            }
        }
        writer.write(row);
    }

    private static JsonNode expect(JsonNode value, boolean fits, String name) {
        if (!fits) {
            throw new IllegalStateException("the prediction field '" + name + "' is " + value + " here, of another"
                    + " type than in the chunk's first row, which set the part's column type");
        }
        return value;
    }

    private void start() throws IOException {
        Types.MessageTypeBuilder schema = Types.buildMessage();
        if (integerIds) {
            schema.optional(PrimitiveTypeName.INT64).named(idName);
        } else {
            schema.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(idName);
        }
        for (int i = 0; i < names.size(); i++) {
            if (kinds.get(i) == PrimitiveTypeName.BINARY) {
                schema.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(names.get(i));
            } else {
                schema.optional(kinds.get(i)).named(names.get(i));
            }
        }
        MessageType type = schema.named("predictions");
        rows = new SimpleGroupFactory(type);
        writer = ParquetCodecs.writer(file, type, ROW_GROUP_BYTES);
    }

    @Override
    public void close() throws IOException {
        if (writer == null) {
            start(); // a chunk without rows: a part with the id column alone
        }
        writer.close();
    }
}
