package io.capstan.quality.feedback;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.capstan.error.CapstanException;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bulk feedback: a CSV file with a header naming an {@code id} column and a {@code label} column (a classifier's
 * classes) or a {@code value} column (a regressor's); other columns are ignored. At most {@value #MAX_ROWS} rows.
 */
public final class FeedbackCsv {
    public static final int MAX_ROWS = 1_000_000;
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES).build();

    private FeedbackCsv() {
    }

    /**
     * The file's rows as labels to check ({@link FeedbackBatch#check}), row 0 the first after the header.
     *
     * @param file names the file in errors
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the header lacks the columns, the file is not
     *                          CSV, or it has more than {@value #MAX_ROWS} rows
     */
    public static List<FeedbackBatch.Entry> read(Reader in, String file) {
        List<FeedbackBatch.Entry> entries = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            CsvSchema header = (CsvSchema) rows.getParserSchema();
            boolean hasLabel = header.column("label") != null;
            boolean hasValue = header.column("value") != null;
            if (header.column("id") == null || hasLabel == hasValue) {
                throw CapstanException.invalidParameter("The feedback file " + file + " must have a header with an"
                        + " 'id' column and either a 'label' or a 'value' column; it has " + header.getColumnNames()
                        + ".");
            }
            int row = 0;
            while (rows.hasNextValue()) {
                if (row == MAX_ROWS) {
                    throw CapstanException.invalidParameter("The feedback file " + file + " has more than " + MAX_ROWS
                            + " rows; split it into several files.");
                }
                Map<String, String> cells = rows.nextValue();
                String id = blankToNull(cells.get("id"));
                if (hasLabel) {
                    entries.add(new FeedbackBatch.Entry(row, id, blankToNull(cells.get("label")), null, null));
                } else {
                    String text = blankToNull(cells.get("value"));
                    Double value = null;
                    try {
                        value = text == null ? null : Double.valueOf(text);
                    } catch (NumberFormatException e) {
                        // an unreadable value: counted as invalid_label
                    }
                    entries.add(new FeedbackBatch.Entry(row, id, null, value, text != null && value == null
                            ? "not a number" : null));
                }
                row++;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CapstanException capstan) {
                throw capstan;
            }
            throw CapstanException.invalidParameter("The feedback file " + file + " cannot be read as CSV: "
                    + e.getMessage());
        }
        return entries;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
