package io.capstan.trainer.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code validation-predictions.csv}: one row per validation row with its raw feature values (the model's input),
 * its true label, then Tribuo's probability for each label in output order, so another component can feed the
 * same rows to ONNX Runtime and compare. Numbers are written in Java's shortest round-trip form.
 */
final class PredictionsCsv {

    /** The header prefix of a probability column; the label follows it. */
    static final String PROBABILITY_PREFIX = "probability:";

    private PredictionsCsv() {
    }

    static void write(Path file, LabelledRows rows, String labelColumn, ClassProbabilities probabilities)
            throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(rows.featureNames());
            header.add(labelColumn);
            probabilities.labels().forEach(label -> header.add(PROBABILITY_PREFIX + label));
            writeLine(writer, header);
            for (int i = 0; i < rows.size(); i++) {
                List<String> cells = new ArrayList<>(header.size());
                for (double value : rows.features().get(i)) {
                    cells.add(Double.toString(value));
                }
                cells.add(rows.labels().get(i));
                for (double probability : probabilities.rows()[i]) {
                    cells.add(Double.toString(probability));
                }
                writeLine(writer, cells);
            }
        }
    }

    private static void writeLine(BufferedWriter writer, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                writer.write(',');
            }
            writer.write(quoted(cells.get(i)));
        }
        writer.write('\n');
    }

    static String quoted(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
