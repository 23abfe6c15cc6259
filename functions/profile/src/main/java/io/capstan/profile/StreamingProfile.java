package io.capstan.profile;

import io.capstan.profile.internal.CategoryAccumulator;
import io.capstan.profile.internal.CategoryCounts;
import io.capstan.profile.internal.NumericAccumulator;
import io.capstan.profile.internal.TextCategoryAccumulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Mergeable sketches of the rows a model is asked to score, fed one row ({@code float[]} in the order of
 * {@link #schema()}) or a batch at a time: a KLL sketch plus count, missing count, mean and variance per numeric
 * feature, a frequent-items sketch per categorical feature (whose values arrive as numeric codes, named by
 * {@link #categoryKey(float)}).
 *
 * <p><b>Cost.</b> A row is copied into a column-major buffer of {@value #BUFFER_ROWS} rows; a full buffer is
 * folded into the sketches column by column with KLL's bulk update. Rows given by {@link #update(float[])} are all
 * folded: the result is the same sketch as updating value by value, so the error bounds of {@link SketchParameters}
 * hold as stated.
 *
 * <p><b>Sampled rows.</b> A caller that samples (traffic capture samples the rows of large requests) gives each
 * sampled row with the {@code level} of its weight, {@code 2^level} rows ({@link #update(float[], int)}). Counts,
 * moments and frequencies weigh it so, and the sketches carry the sampling's error bound besides their own
 * ({@link Sampling}: a numeric column's {@link NumericFeatureProfile#samplingRankError()}, a term of a categorical
 * column's {@code frequency_error}, and the effective sample size tests must use). A profile that holds sampled rows is
 * written as version 3 of the binary form, with each column's sampling.
 *
 * <p><b>Threads.</b> Every method synchronizes on this object. Single-threaded callers (a Lambda container) pay
 * one uncontended lock per row or batch; a multi-threaded gateway may share one instance, or keep one per thread
 * and {@link #merge} them before a flush.
 *
 * <p><b>Storage.</b> {@link #toBytes()} writes a self-describing binary form (schema, parameters, sketches) that
 * {@link #fromBytes(byte[])} reads back; the drift check merges the flushed objects of a window and compares
 * {@link #toDatasetProfile()} with the reference profile.
 */
public final class StreamingProfile {
    /** Rows buffered before the sketches are updated in bulk. */
    public static final int BUFFER_ROWS = 512;
    private static final int MAGIC = 0x43505331; // "CPS1"
    /**
     * Version 2 names each categorical column's kind (codes or text). A profile without text categories (every one the
     * predict function captures) is still written as version 1, which a drift function of the release before reads.
     */
    private static final int TEXT_VERSION = 2;
    /**
     * Version 3 is version 2 followed by each column's sampling, the sum of the squared weights of its sampled values
     * and the sum of their weights (numeric columns, then categorical ones). Written only by a profile that holds
     * sampled rows.
     */
    private static final int SAMPLED_VERSION = 3;
    /** The heaviest sample: one row standing for 2^62 rows. */
    public static final int MAX_LEVEL = 62;

    private final List<FeatureSpec> schema;
    private final SketchParameters params;
    private final int[] numericColumns;
    private final int[] categoricalColumns;
    private final NumericAccumulator[] numeric;
    private final CategoryCounts[] categorical;
    /** Per weight level, the column-major buffer of rows not yet folded (allocated at the level's first row). */
    private final double[][][] buffers = new double[MAX_LEVEL + 1][][];
    private final int[] buffered = new int[MAX_LEVEL + 1];
    private long rows;

    private StreamingProfile(List<FeatureSpec> schema, SketchParameters params) {
        this.schema = List.copyOf(schema);
        this.params = Objects.requireNonNull(params, "params");
        if (this.schema.isEmpty()) {
            throw new InvalidProfileException("A streaming profile needs at least one feature.");
        }
        if (this.schema.stream().map(FeatureSpec::name).distinct().count() != this.schema.size()) {
            throw new InvalidProfileException("Feature names repeat in the schema: " + this.schema);
        }
        numericColumns = indicesOf(FeatureKind.NUMERIC);
        categoricalColumns = indicesOf(FeatureKind.CATEGORICAL);
        numeric = new NumericAccumulator[numericColumns.length];
        categorical = new CategoryCounts[categoricalColumns.length];
    }

    /** An empty profile for rows of this schema. */
    public static StreamingProfile create(List<FeatureSpec> schema, SketchParameters params) {
        StreamingProfile p = new StreamingProfile(schema, params);
        for (int j = 0; j < p.numeric.length; j++) {
            p.numeric[j] = new NumericAccumulator(params.kllK());
        }
        for (int j = 0; j < p.categorical.length; j++) {
            p.categorical[j] = new CategoryAccumulator(params.frequentItemsMapSize());
        }
        return p;
    }

    /**
     * An empty profile for the text rows of a dataset ({@link #update(String[])}): numeric columns parsed as numbers,
     * categorical columns counted by their text.
     */
    public static StreamingProfile createForText(List<FeatureSpec> schema, SketchParameters params) {
        StreamingProfile p = new StreamingProfile(schema, params);
        for (int j = 0; j < p.numeric.length; j++) {
            p.numeric[j] = new NumericAccumulator(params.kllK());
        }
        for (int j = 0; j < p.categorical.length; j++) {
            p.categorical[j] = new TextCategoryAccumulator(params.frequentItemsMapSize());
        }
        return p;
    }

    /**
     * The name a categorical code stands for: an integral code as an integer ({@code 3.0f} is {@code "3"}),
     * anything else as {@link Float#toString(float)}. Reference profiles must name categories the same way.
     */
    public static String categoryKey(float code) {
        if (code == Math.rint(code) && Math.abs(code) < 1 << 24) {
            return Long.toString((long) code);
        }
        return Float.toString(code);
    }

    public List<FeatureSpec> schema() {
        return schema;
    }

    public SketchParameters parameters() {
        return params;
    }

    /**
     * Folds one row. NaN is a missing value.
     *
     * @throws InvalidProfileException if the row's length is not the schema's
     */
    public synchronized void update(float[] row) {
        update(row, 0);
    }

    /**
     * Folds one sampled row standing for {@code 2^level} rows (level 0: the row alone, as {@link #update(float[])}).
     * NaN is a missing value.
     *
     * @throws InvalidProfileException if the row's length is not the schema's
     * @throws IllegalArgumentException if the level is not between 0 and {@value #MAX_LEVEL}
     */
    public synchronized void update(float[] row, int level) {
        if (row.length != schema.size()) {
            throw new InvalidProfileException("Row has " + row.length + " values; the schema has " + schema.size()
                    + " features.");
        }
        if (level < 0 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("A sampled row's level must be between 0 and " + MAX_LEVEL + ", got "
                    + level);
        }
        double[][] buffer = buffers[level];
        if (buffer == null) {
            buffer = new double[numericColumns.length][BUFFER_ROWS];
            buffers[level] = buffer;
        }
        int at = buffered[level];
        for (int j = 0; j < numericColumns.length; j++) {
            buffer[j][at] = row[numericColumns[j]];
        }
        for (int j = 0; j < categoricalColumns.length; j++) {
            codes(j).add(row[categoricalColumns[j]], level);
        }
        rows += 1L << level;
        if (++buffered[level] == BUFFER_ROWS) {
            fold(level);
        }
    }

    /**
     * Folds one text row of a profile made by {@link #createForText}: a numeric cell is a number ({@code Double}'s
     * syntax; empty, {@code NaN} or {@code nan} is missing), a categorical cell its category (empty is missing).
     *
     * @throws InvalidProfileException if the row's length is not the schema's, or a numeric cell is not a number
     */
    public synchronized void update(String[] cells) {
        if (cells.length != schema.size()) {
            throw new InvalidProfileException("Row has " + cells.length + " values; the schema has " + schema.size()
                    + " features.");
        }
        if (buffers[0] == null) {
            buffers[0] = new double[numericColumns.length][BUFFER_ROWS];
        }
        int at = buffered[0];
        for (int j = 0; j < numericColumns.length; j++) {
            buffers[0][j][at] = number(cells[numericColumns[j]], schema.get(numericColumns[j]).name());
        }
        for (int j = 0; j < categoricalColumns.length; j++) {
            if (!(categorical[j] instanceof TextCategoryAccumulator text)) {
                throw new InvalidProfileException("This profile counts categorical codes; text rows need a profile"
                        + " made by createForText.");
            }
            text.add(cells[categoricalColumns[j]]);
        }
        rows++;
        if (++buffered[0] == BUFFER_ROWS) {
            fold(0);
        }
    }

    private static double number(String cell, String column) {
        String text = cell == null ? "" : cell.strip();
        if (text.isEmpty() || text.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidProfileException("Numeric column '" + column + "' holds '" + (text.length() > 40
                    ? text.substring(0, 40) + "..." : text) + "', which is not a number.");
        }
    }

    private CategoryAccumulator codes(int j) {
        if (!(categorical[j] instanceof CategoryAccumulator codes)) {
            throw new InvalidProfileException("This profile counts text categories; give it text rows.");
        }
        return codes;
    }

    /** Folds a batch of rows, as {@link #update(float[])} does each. */
    public synchronized void update(float[][] batch) {
        for (float[] row : batch) {
            update(row);
        }
    }

    /**
     * Adds another profile's rows to this one. The other profile is read under its own lock first, so two
     * threads merging into each other cannot deadlock.
     *
     * @throws InvalidProfileException if the schemas or sketch parameters differ
     */
    public void merge(StreamingProfile other) {
        if (other == this) {
            throw new InvalidProfileException("A profile cannot be merged into itself.");
        }
        StreamingProfile copy = fromBytes(other.toBytes());
        if (!copy.schema.equals(schema) || !copy.params.equals(params) || !sameKinds(copy)) {
            throw new InvalidProfileException("Cannot merge profiles of different schemas or sketch parameters: "
                    + schema + " " + params + " vs " + copy.schema + " " + copy.params);
        }
        synchronized (this) {
            flush();
            for (int j = 0; j < numeric.length; j++) {
                numeric[j].merge(copy.numeric[j]);
            }
            for (int j = 0; j < categorical.length; j++) {
                categorical[j].merge(copy.categorical[j]);
            }
            rows += copy.rows;
        }
    }

    private boolean sameKinds(StreamingProfile other) {
        for (int j = 0; j < categorical.length; j++) {
            if (categorical[j].kind() != other.categorical[j].kind()) {
                return false;
            }
        }
        return true;
    }

    /** Rows folded so far. */
    public synchronized long rowCount() {
        return rows;
    }

    /**
     * The sketches as a {@link DatasetProfile}: numeric features without distinct count or histogram, categorical
     * frequencies as sketch estimates with their {@code frequency_error}.
     */
    public synchronized DatasetProfile toDatasetProfile() {
        flush();
        List<FeatureProfile> features = new ArrayList<>(schema.size());
        int n = 0;
        int c = 0;
        for (FeatureSpec spec : schema) {
            features.add(spec.kind() == FeatureKind.NUMERIC ? numeric[n++].toProfile(spec.name())
                    : categorical[c++].toProfile(spec.name()));
        }
        return new DatasetProfile(DatasetProfile.FORMAT_VERSION, rows, features, null, List.of());
    }

    /** The binary form for a flush to S3. */
    public synchronized byte[] toBytes() {
        flush();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            boolean text = Arrays.stream(categorical).anyMatch(c -> c.kind() != CategoryAccumulator.KIND);
            boolean sampled = Arrays.stream(numeric).anyMatch(acc -> acc.sampling().any())
                    || Arrays.stream(categorical).anyMatch(acc -> acc instanceof CategoryAccumulator codes
                    && codes.sampling().any());
            out.writeInt(MAGIC);
            out.writeInt(sampled ? SAMPLED_VERSION : text ? TEXT_VERSION : 1);
            out.writeInt(params.kllK());
            out.writeInt(params.frequentItemsMapSize());
            out.writeInt(schema.size());
            for (FeatureSpec spec : schema) {
                out.writeUTF(spec.name());
                out.writeByte(spec.kind().ordinal());
            }
            out.writeLong(rows);
            for (NumericAccumulator acc : numeric) {
                acc.write(out);
            }
            for (CategoryCounts acc : categorical) {
                if (text || sampled) {
                    out.writeByte(acc.kind());
                }
                acc.write(out);
            }
            if (sampled) {
                for (NumericAccumulator acc : numeric) {
                    acc.sampling().write(out);
                }
                for (CategoryCounts acc : categorical) {
                    if (acc instanceof CategoryAccumulator codes) {
                        codes.sampling().write(out);
                    } else {
                        out.writeDouble(0);
                        out.writeDouble(0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads {@link #toBytes()}'s form.
     *
     * @throws InvalidProfileException if the bytes are not a streaming profile
     */
    public static StreamingProfile fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt() != MAGIC ? -1 : in.readInt();
            if (version < 1 || version > SAMPLED_VERSION) {
                throw new InvalidProfileException("Bytes are not a Capstan streaming profile (version 1 to "
                        + SAMPLED_VERSION + ").");
            }
            SketchParameters params = new SketchParameters(in.readInt(), in.readInt());
            int size = in.readInt();
            List<FeatureSpec> schema = new ArrayList<>(size);
            FeatureKind[] kinds = FeatureKind.values();
            for (int i = 0; i < size; i++) {
                String name = in.readUTF();
                schema.add(new FeatureSpec(name, kinds[in.readByte()]));
            }
            StreamingProfile p = new StreamingProfile(schema, params);
            p.rows = in.readLong();
            for (int j = 0; j < p.numeric.length; j++) {
                p.numeric[j] = NumericAccumulator.read(in, schema.get(p.numericColumns[j]).name());
            }
            for (int j = 0; j < p.categorical.length; j++) {
                String name = schema.get(p.categoricalColumns[j]).name();
                byte kind = version == 1 ? CategoryAccumulator.KIND : in.readByte();
                p.categorical[j] = switch (kind) {
                    case CategoryAccumulator.KIND -> CategoryAccumulator.read(in, name);
                    case TextCategoryAccumulator.KIND -> TextCategoryAccumulator.read(in, name);
                    default -> throw new InvalidProfileException("Feature '" + name + "' has an unknown kind of"
                            + " category counts (" + kind + ").");
                };
            }
            if (version == SAMPLED_VERSION) {
                for (int j = 0; j < p.numeric.length; j++) {
                    p.numeric[j].sampling().read(in, schema.get(p.numericColumns[j]).name());
                }
                for (int j = 0; j < p.categorical.length; j++) {
                    String name = schema.get(p.categoricalColumns[j]).name();
                    if (p.categorical[j] instanceof CategoryAccumulator codes) {
                        codes.sampling().read(in, name);
                    } else if (in.readDouble() != 0 | in.readDouble() != 0) {
                        throw new InvalidProfileException("Feature '" + name + "' counts text categories, which are"
                                + " never sampled, but has a sampling.");
                    }
                }
            }
            return p;
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new InvalidProfileException("Streaming profile bytes are truncated or corrupt: " + e, e);
        }
    }

    private void flush() {
        for (int level = 0; level <= MAX_LEVEL; level++) {
            fold(level);
        }
    }

    /** Folds the buffered rows of one weight level into the sketches. */
    private void fold(int level) {
        int n = buffered[level];
        if (n == 0) {
            return;
        }
        for (int j = 0; j < numeric.length; j++) {
            numeric[j].add(buffers[level][j], n, level);
        }
        buffered[level] = 0;
    }

    private int[] indicesOf(FeatureKind kind) {
        return java.util.stream.IntStream.range(0, schema.size()).filter(i -> schema.get(i).kind() == kind).toArray();
    }
}
