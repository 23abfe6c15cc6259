package io.capstan.drift;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A CSV file with a header row, read into the requested columns: comma-separated, fields optionally in double
 * quotes ("" for a quote inside), no line breaks inside fields. Empty fields and NA, NaN, null (any case) are
 * missing values. A line without quotes is read in place: its fields are located without copying, and a plain
 * decimal number ({@code -12}, {@code 3.25}: at most 15 digits) is converted from the line's characters by Clinger's
 * exact fast path; anything else goes through {@link Double#parseDouble}, so every value is the same as before.
 */
public final class CsvTable {
    private static final Set<String> MISSING = Set.of("", "na", "nan", "null", "none");
    /** Exact powers of ten as doubles (10^22 is the largest). */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private CsvTable() {
    }

    /**
     * Reads {@code columns} of {@code file}; those in {@code categorical} as text, the others as numbers.
     *
     * @throws InvalidDriftInputException naming the file, row and column of the first problem
     */
    public static List<Column> read(Path file, List<String> columns, Set<String> categorical) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDriftInputException("File '" + file + "' does not exist or is not a file.");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString(), columns, categorical);
        } catch (IOException e) {
            throw new InvalidDriftInputException("File '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code columns} of the CSV text {@code in} (header row first); {@code source} names it in errors.
     *
     * @throws InvalidDriftInputException naming the source, row and column of the first problem
     * @throws UncheckedIOException when reading fails
     */
    public static List<Column> read(BufferedReader in, String source, List<String> columns, Set<String> categorical) {
        try {
            int[] index = columnIndexes(header(in, source), columns, "'" + source + "'");
            List<double[]> numbers = new ArrayList<>();
            List<String[]> texts = new ArrayList<>();
            for (int k = 0; k < columns.size(); k++) {
                numbers.add(categorical.contains(columns.get(k)) ? null : new double[1024]);
                texts.add(categorical.contains(columns.get(k)) ? new String[1024] : null);
            }
            int rows = 0;
            int capacity = 1024;
            int widest = Arrays.stream(index).max().orElse(0);
            int[] bounds = new int[2 * (widest + 1)];
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> fields = line.indexOf('"') >= 0 ? split(line) : null;
                int found = fields == null ? locate(line, bounds, widest) : 0;
                if (rows == capacity) {
                    capacity *= 2;
                    grow(numbers, texts, capacity);
                }
                for (int k = 0; k < columns.size(); k++) {
                    if (fields != null) {
                        String value = cell(fields, index[k]);
                        boolean missing = value.isEmpty();
                        if (texts.get(k) != null) {
                            texts.get(k)[rows] = missing ? null : value;
                        } else {
                            numbers.get(k)[rows] = missing ? Double.NaN
                                    : number(value, source, rows + 1, columns.get(k));
                        }
                        continue;
                    }
                    int start = index[k] < found ? bounds[2 * index[k]] : 0;
                    int end = index[k] < found ? bounds[2 * index[k] + 1] : 0;
                    while (start < end && line.charAt(start) <= ' ') { // as String.trim
                        start++;
                    }
                    while (end > start && line.charAt(end - 1) <= ' ') {
                        end--;
                    }
                    boolean missing = start == end || (end - start <= 4 && Character.isLetter(line.charAt(start))
                            && isMissing(line.substring(start, end)));
                    if (texts.get(k) != null) {
                        texts.get(k)[rows] = missing ? null : line.substring(start, end);
                    } else {
                        numbers.get(k)[rows] = missing ? Double.NaN : number(line, start, end, source, rows + 1,
                                columns.get(k));
                    }
                }
                rows++;
            }
            List<Column> out = new ArrayList<>();
            for (int k = 0; k < columns.size(); k++) {
                out.add(texts.get(k) != null ? Column.categorical(columns.get(k), Arrays.copyOf(texts.get(k), rows))
                        : Column.numeric(columns.get(k), Arrays.copyOf(numbers.get(k), rows)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("'" + source + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Where each of {@code columns} is in {@code header}.
     *
     * @param source names the data in the error
     * @throws InvalidDriftInputException naming the first column the header lacks
     */
    public static int[] columnIndexes(List<String> header, List<String> columns, String source) {
        int[] index = new int[columns.size()];
        for (int k = 0; k < columns.size(); k++) {
            index[k] = header.indexOf(columns.get(k));
            if (index[k] < 0) {
                throw new InvalidDriftInputException("Column '" + columns.get(k) + "' is not in " + source
                        + "; its columns are " + header + ".");
            }
        }
        return index;
    }

    /** Field {@code index} of a split line, trimmed; empty when the line has no such field or it is missing. */
    public static String cell(List<String> fields, int index) {
        String value = index < fields.size() ? fields.get(index).trim() : "";
        return isMissing(value) ? "" : value;
    }

    /** Whether a field is a missing value: empty, NA, NaN, null or none (any case). */
    public static boolean isMissing(String value) {
        return MISSING.contains(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Reads the header row of {@code in}.
     *
     * @throws InvalidDriftInputException when there is none
     */
    public static List<String> header(BufferedReader in, String source) throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new InvalidDriftInputException("File '" + source + "' is empty: it needs a header row.");
        }
        return split(stripBom(line));
    }

    /** The header of a file. */
    public static List<String> header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidDriftInputException("File '" + file + "' does not exist or is not a file.");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return header(in, file.toString());
        } catch (IOException e) {
            throw new InvalidDriftInputException("File '" + file + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Finds the bounds of the fields of a line without quotes, up to field {@code widest}: field i runs from
     * {@code bounds[2i]} to {@code bounds[2i + 1]}. Returns how many fields were found.
     */
    private static int locate(String line, int[] bounds, int widest) {
        int field = 0;
        int start = 0;
        int length = line.length();
        while (field <= widest) {
            int comma = line.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            bounds[2 * field] = start;
            bounds[2 * field + 1] = end;
            field++;
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return field;
    }

    /** The number in {@code line[start, end)}: a plain decimal converted in place, anything else parsed. */
    private static double number(String line, int start, int end, String source, int row, String column) {
        int i = start;
        boolean negative = false;
        char first = line.charAt(i);
        if (first == '-' || first == '+') {
            negative = first == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int fraction = -1;
        for (; i < end; i++) {
            char ch = line.charAt(i);
            if (ch >= '0' && ch <= '9') {
                mantissa = mantissa * 10 + (ch - '0');
                digits++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (ch == '.' && fraction < 0) {
                fraction = 0;
            } else {
                break;
            }
        }
        if (i == end && digits > 0 && digits <= 15) {
            // Clinger: an integer below 2^53 divided by an exact power of ten is correctly rounded
            double value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction] : mantissa;
            return negative ? -value : value;
        }
        return number(line.substring(start, end), source, row, column);
    }

    private static double number(String value, String source, int row, String column) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidDriftInputException("File '" + source + "', row " + row + " (line " + (row + 1)
                    + "), column '" + column + "': '" + value + "' is not a number. If the column holds categories, name it"
                    + " categorical (drift.sh --categorical " + column + ").");
        }
    }

    private static void grow(List<double[]> numbers, List<String[]> texts, int capacity) {
        for (int k = 0; k < numbers.size(); k++) {
            if (numbers.get(k) != null) {
                numbers.set(k, Arrays.copyOf(numbers.get(k), capacity));
            } else {
                texts.set(k, Arrays.copyOf(texts.get(k), capacity));
            }
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** The fields of one CSV line. */
    public static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
