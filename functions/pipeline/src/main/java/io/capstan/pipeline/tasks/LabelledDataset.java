package io.capstan.pipeline.tasks;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV dataset with a header row, read with Commons CSV: the column names and the rows as text, as uploaded.
 *
 * @param columns the header, in file order
 * @param rows    the data rows, each with one value per column
 */
public record LabelledDataset(List<String> columns, List<List<String>> rows) {

    public LabelledDataset {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    /**
     * Parses CSV bytes.
     *
     * @throws TaskFailure DatasetInvalid when the file is not CSV with a header, a column name repeats, or a row has
     *                     the wrong width
     */
    public static LabelledDataset parse(byte[] csv, String where) {
        String text = new String(csv, StandardCharsets.UTF_8);
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            List<String> columns = parser.getHeaderNames();
            if (columns.isEmpty()) {
                throw invalid(where + " has no header row");
            }
            // Commons CSV allows repeated names by default; column(name) would then only ever see the first copy
            for (int c = 0; c < columns.size(); c++) {
                int first = columns.indexOf(columns.get(c));
                if (first < c) {
                    throw invalid(where + " has the column '" + columns.get(c) + "' twice (columns " + (first + 1)
                            + " and " + (c + 1) + " of the header); rename or remove one");
                }
            }
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                if (record.size() != columns.size()) {
                    throw invalid(where + " line " + record.getParser().getCurrentLineNumber() + " has " + record.size()
                            + " values, the header has " + columns.size() + " columns");
                }
                rows.add(record.toList());
            }
            return new LabelledDataset(columns, rows);
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw invalid(where + " is not a readable CSV file with a header row: " + e.getMessage());
        }
    }

    /** The index of a column, or -1. */
    public int column(String name) {
        return columns.indexOf(name);
    }

    /** How many rows carry each label, by label. */
    public Map<String, Integer> labelCounts(String labelColumn) {
        int index = column(labelColumn);
        Map<String, Integer> counts = new TreeMap<>();
        rows.forEach(row -> counts.merge(row.get(index), 1, Integer::sum));
        return counts;
    }

    /** These rows (with the same header) as CSV bytes. */
    public byte[] toCsv(List<List<String>> selected) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader(columns.toArray(String[]::new)).setRecordSeparator("\n").get())) {
            for (List<String> row : selected) {
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static TaskFailure invalid(String message) {
        return new TaskFailure("DatasetInvalid", Objects.requireNonNull(message), "");
    }
}
