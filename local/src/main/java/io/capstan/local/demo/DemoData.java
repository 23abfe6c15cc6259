package io.capstan.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.drift.CsvTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The demo's data set read once (the prediction benchmark sends it too): the feature columns, the rows as numbers,
 * and the requests and uploads derived from them (scoring bodies, traffic shifted by a number of standard deviations, a copy with shuffled
 * labels).
 *
 * @param csv      the file as uploaded
 * @param features the feature columns, in file order
 * @param rows     the feature values of each row, in {@code features} order
 * @param labels   each row's label
 */
public record DemoData(byte[] csv, List<String> features, List<double[]> rows, List<String> labels) {
    static final String LABEL = "label";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static DemoData read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<String> features = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            List<String> header = CsvTable.header(in, file.toString());
            int label = header.indexOf(LABEL);
            if (label < 0) {
                throw new IllegalArgumentException(file + " has no '" + LABEL + "' column");
            }
            for (int j = 0; j < header.size(); j++) {
                if (j != label) {
                    features.add(header.get(j));
                }
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = CsvTable.split(line);
                double[] row = new double[features.size()];
                for (int j = 0, f = 0; j < cells.size(); j++) {
                    if (j != label) {
                        row[f++] = Double.parseDouble(cells.get(j));
                    }
                }
                rows.add(row);
                labels.add(cells.get(label));
            }
        }
        return new DemoData(bytes, List.copyOf(features), List.copyOf(rows), List.copyOf(labels));
    }

    /** An MLflow scoring request ({@code dataframe_split}) for {@code batch}. */
    public String dataframeSplit(List<double[]> batch) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode split = body.putObject("dataframe_split");
        features.forEach(split.putArray("columns")::add);
        ArrayNode data = split.putArray("data");
        for (double[] row : batch) {
            ArrayNode values = data.addArray();
            for (double v : row) {
                values.add(v);
            }
        }
        return body.toString();
    }

    /** An Open Inference Protocol request for {@code batch}, its features in the model's {@code order}. */
    public String inferRequest(String id, String inputTensor, List<String> order, List<double[]> batch) {
        ObjectNode body = JSON.createObjectNode().put("id", id);
        ObjectNode input = body.putArray("inputs").addObject().put("name", inputTensor).put("datatype", "FP32");
        input.putArray("shape").add(batch.size()).add(order.size());
        ArrayNode data = input.putArray("data");
        for (double[] row : batch) {
            for (String feature : order) {
                data.add(row[features.indexOf(feature)]);
            }
        }
        return body.toString();
    }

    /** {@code count} rows cycling through the data set, every feature moved by {@code shiftStd} standard deviations. */
    List<double[]> shifted(int count, double shiftStd) {
        double[] mean = new double[features.size()];
        double[] std = new double[features.size()];
        for (int j = 0; j < features.size(); j++) {
            for (double[] row : rows) {
                mean[j] += row[j] / rows.size();
            }
            for (double[] row : rows) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / rows.size();
            }
            std[j] = Math.sqrt(std[j]);
        }
        List<double[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double[] row = rows.get(i % rows.size()).clone();
            for (int j = 0; j < row.length; j++) {
                row[j] += shiftStd * std[j];
            }
            out.add(row);
        }
        return out;
    }

    /** The data set with its labels shuffled across rows (seed 7): the features no longer predict them. */
    byte[] withShuffledLabels() {
        List<String> shuffled = new ArrayList<>(labels);
        Collections.shuffle(shuffled, new Random(7));
        StringBuilder out = new StringBuilder(String.join(",", features)).append(',').append(LABEL).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            for (double v : rows.get(i)) {
                out.append(v).append(',');
            }
            out.append(shuffled.get(i)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
