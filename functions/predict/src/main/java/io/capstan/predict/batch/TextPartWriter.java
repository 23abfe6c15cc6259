package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.batch.BatchFormat;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV part (a header line from the first row's columns, nested fields flattened, arrays as JSON text) or a JSON-lines
 * part (the id and the prediction's fields as they are).
 */
final class TextPartWriter implements PartWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BatchFormat format;
    private final String idName;
    private final Writer writer;
    private CSVPrinter csv;
    private List<String> columns;

    TextPartWriter(BatchFormat format, String idName, Writer writer) {
        this.format = format;
        this.idName = idName;
        this.writer = writer;
    }

    @Override
    public void write(String id, JsonNode prediction) throws IOException {
        if (format == BatchFormat.JSONL) {
            ObjectNode line = JSON.createObjectNode().put(idName, id);
            if (prediction.isObject()) {
                prediction.fields().forEachRemaining(field -> {
                    if (!field.getKey().equals("prediction_id")) {
                        line.set(field.getKey(), field.getValue());
                    }
                });
            } else {
                line.set("prediction", prediction);
            }
            writer.write(JSON.writeValueAsString(line));
            writer.write('\n');
            return;
        }
        Map<String, JsonNode> fields = PartWriter.columns(prediction);
        if (csv == null) {
            columns = new ArrayList<>(fields.size() + 1);
            columns.add(idName);
            columns.addAll(fields.keySet());
            csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(columns.toArray(String[]::new))
                    .setRecordSeparator('\n').get());
        }
        List<String> values = new ArrayList<>(columns.size());
        values.add(id);
        for (String column : columns.subList(1, columns.size())) {
            JsonNode value = fields.get(column);
            values.add(value == null ? null : value.isValueNode() ? value.asText() : value.toString());
        }
        csv.printRecord(values);
    }

    @Override
    public void close() throws IOException {
        if (csv != null) {
            csv.flush();
        }
        writer.close();
    }
}
