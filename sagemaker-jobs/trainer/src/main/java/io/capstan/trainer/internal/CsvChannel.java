package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a channel directory: every {@code .csv} file under it (subfolders included, hidden files skipped), in
 * order of relative path, each with a header row. Columns are found by name in each file, so files may order them
 * differently. Every failure names the channel, the file, the row and the column.
 */
public final class CsvChannel {

    private final String channel;
    private final Path directory;

    public CsvChannel(String channel, Path directory) {
        this.channel = channel;
        this.directory = directory;
    }

    /** Whether the channel was provided at all (its directory exists). */
    public boolean exists() {
        return Files.isDirectory(directory);
    }

    /**
     * Reads the labelled rows.
     *
     * @param labelColumn    the class column
     * @param featureColumns the feature columns in model order; empty for every column of the first file but the label
     * @throws CapstanException with {@code INVALID_PARAMETER_VALUE} when the channel is missing or empty, a column is
     *                          missing or a value is not a finite number
     */
    public LabelledRows read(String labelColumn, List<String> featureColumns) {
        List<Path> files = csvFiles();
        MessageDigest digest = sha256();
        List<String> features = featureColumns;
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Path file : files) {
            String name = directory.relativize(file).toString();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    new DigestInputStream(Files.newInputStream(file), digest), StandardCharsets.UTF_8))) {
                String headerLine = reader.readLine();
                if (headerLine == null) {
                    throw invalid(name + " is empty; every file needs a header row");
                }
                List<String> header = split(stripByteOrderMark(headerLine), name, 1).stream()
                        .map(String::trim).toList();
                if (features.isEmpty()) {
                    features = header.stream().filter(column -> !column.equals(labelColumn)).toList();
                    if (features.contains("")) {
                        throw invalid(name + ": column " + (header.indexOf("") + 1) + " of the header has no name; "
                                + "name it (a pandas index? write with index=False) or list feature_columns");
                    }
                }
                ColumnPositions positions = ColumnPositions.find(header, labelColumn, features, channel, name);
                readRows(reader, name, header.size(), positions, features, rows, labels);
                // the digest covers the whole file, blank lines after the last row included
                reader.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        if (rows.isEmpty()) {
            throw invalid("no data rows in " + files.stream().map(f -> directory.relativize(f).toString())
                    .collect(Collectors.joining(", ")) + " (only a header)");
        }
        if (features.isEmpty()) {
            throw invalid("no feature columns: the files hold only the label column '" + labelColumn + "'");
        }
        return new LabelledRows(features, rows, labels,
                files.stream().map(f -> directory.relativize(f).toString()).toList(),
                HexFormat.of().formatHex(digest.digest()));
    }

    private void readRows(BufferedReader reader, String file, int columns, ColumnPositions positions,
                          List<String> features, List<double[]> rows, List<String> labels) throws IOException {
        int line = 1;
        int row = 0;
        for (String text = reader.readLine(); text != null; text = reader.readLine()) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            row++;
            List<String> cells = split(text, file, line);
            if (cells.size() != columns) {
                throw invalid(file + " row " + row + " (line " + line + ") has " + cells.size()
                        + " fields; the header has " + columns);
            }
            String label = cells.get(positions.label()).trim();
            if (label.isEmpty()) {
                throw invalid(file + " row " + row + " (line " + line + "), column '" + positions.labelName()
                        + "': the label is empty");
            }
            double[] values = new double[features.size()];
            for (int i = 0; i < values.length; i++) {
                String cell = cells.get(positions.features()[i]).trim();
                values[i] = number(cell, file + " row " + row + " (line " + line + "), column '" + features.get(i)
                        + "'");
            }
            rows.add(values);
            labels.add(label);
        }
    }

    private List<Path> csvFiles() {
        if (!exists()) {
            throw invalid("the channel directory " + directory + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(path -> path.getFileName().toString().endsWith(".csv"))
                    .filter(path -> !isHidden(directory.relativize(path)))
                    .sorted((a, b) -> directory.relativize(a).toString().compareTo(directory.relativize(b).toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        if (files.isEmpty()) {
            throw invalid("no .csv file in " + directory);
        }
        return files;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private double number(String cell, String where) {
        try {
            double value = Double.parseDouble(cell);
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(where + ": '" + cell + "' is not a finite number");
    }

    /** Splits one CSV line: commas, with double-quoted fields whose quotes are doubled inside. */
    List<String> split(String line, String file, int lineNumber) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw invalid(file + " line " + lineNumber + " has an unclosed quote (fields cannot span lines)");
        }
        cells.add(cell.toString());
        return cells;
    }

    private static String stripByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private CapstanException invalid(String message) {
        return CapstanException.invalidParameter("channel '" + channel + "': " + message);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Where the label and the features sit in one file's header. */
    private record ColumnPositions(int label, String labelName, int[] features) {

        static ColumnPositions find(List<String> header, String labelColumn, List<String> features, String channel,
                                    String file) {
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                if (!name.isEmpty() && byName.put(name, i) != null) {
                    throw CapstanException.invalidParameter("channel '" + channel + "': " + file
                            + " names column '" + name + "' twice in its header");
                }
            }
            Integer label = byName.get(labelColumn);
            if (label == null) {
                throw CapstanException.invalidParameter("channel '" + channel + "': " + file + " has no label column '"
                        + labelColumn + "' (set label_column); its columns are " + header);
            }
            int[] positions = new int[features.size()];
            for (int i = 0; i < positions.length; i++) {
                String feature = features.get(i);
                if (feature.equals(labelColumn)) {
                    throw CapstanException.invalidParameter("feature_columns names the label column '" + labelColumn
                            + "'");
                }
                Integer position = byName.get(feature);
                if (position == null) {
                    throw CapstanException.invalidParameter("channel '" + channel + "': " + file
                            + " has no feature column '" + feature + "'; its columns are " + header);
                }
                positions[i] = position;
            }
            return new ColumnPositions(label, labelColumn, positions);
        }
    }
}
