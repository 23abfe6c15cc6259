package io.capstan.predict.batch.parquet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A Parquet object's rows as the values a scoring request carries: integers as {@code Long} (unsigned 64-bit as
 * {@code BigInteger}), floating point as {@code Double} (a 32-bit float by its shortest decimal text; NaN and the
 * infinities as null, as pandas reads them: missing), decimals as {@code BigDecimal}, booleans, strings (UTF-8 binary
 * with or without the string annotation, enums, JSON text, UUIDs), dates as {@code yyyy-MM-dd}, timestamps as ISO-8601
 * text ({@code Z} when adjusted to UTC, as are Spark's and old pandas' INT96 ones; without a zone otherwise), and
 * null for a missing value. Only flat columns are read: a list, map or struct column, a half float or an interval is
 * refused, naming it. pandas' index columns ({@code __index_level_0__}) are left out, as pandas leaves them out of a
 * data frame's columns.
 */
public final class ParquetRows implements AutoCloseable {
    /** Receives a row: its position in the object (from 0) and its values, one per column. */
    @FunctionalInterface
    public interface RowConsumer {
        void row(long index, Object[] values) throws IOException;
    }

    private static final Pattern PANDAS_INDEX = Pattern.compile("__index_level_\\d+__");
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

    private final ParquetFileReader reader;
    private final MessageType fileSchema;
    private final MessageType columns;
    private final String where;

    private ParquetRows(ParquetFileReader reader, String where) {
        this.reader = reader;
        this.where = where;
        this.fileSchema = reader.getFooter().getFileMetaData().getSchema();
        List<Type> kept = new ArrayList<>();
        for (Type field : fileSchema.getFields()) {
            if (PANDAS_INDEX.matcher(field.getName()).matches()) {
                continue;
            }
            if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                throw new UnsupportedParquetException(where + ": column '" + field.getName() + "' is a nested (list,"
                        + " map or struct) column; batch predictions read flat columns");
            }
            LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
            if (logical instanceof LogicalTypeAnnotation.Float16LogicalTypeAnnotation
                    || logical instanceof LogicalTypeAnnotation.IntervalLogicalTypeAnnotation) {
                throw new UnsupportedParquetException(where + ": column '" + field.getName() + "' is of type "
                        + logical + ", which batch predictions do not read");
            }
            kept.add(field);
        }
        this.columns = new MessageType(fileSchema.getName(), kept);
        reader.setRequestedSchema(columns);
    }

    /**
     * Reads the object's footer and checks its columns.
     *
     * @param where the object, for messages ({@code s3://bucket/key})
     * @throws UnsupportedParquetException naming a column that cannot be read
     * @throws UncheckedIOException when the object is not a Parquet file
     */
    public static ParquetRows open(InputFile file, String where) {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetCodecs())
                .useStatsFilter(false).useDictionaryFilter(false).useRecordFilter(false)
                .useColumnIndexFilter(false).useBloomFilter(false)
                .build();
        try {
            ParquetFileReader reader = ParquetFileReader.open(file, options);
            try {
                return new ParquetRows(reader, where);
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnsupportedParquetException unsupported) {
                throw unsupported;
            }
            throw new UncheckedIOException(where + " cannot be read as Parquet: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** The columns read, in the file's order. */
    public List<String> columnNames() {
        return columns.getFields().stream().map(Type::getName).toList();
    }

    /**
     * Whether the column holds integers that fit a signed 64-bit integer (its id values are written back as such;
     * unsigned 64-bit ones as text).
     */
    public boolean isIntegerColumn(String name) {
        Type type = columns.getType(name);
        PrimitiveTypeName primitive = type.asPrimitiveType().getPrimitiveTypeName();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return (primitive == PrimitiveTypeName.INT32 || primitive == PrimitiveTypeName.INT64)
                && (logical == null || (logical instanceof IntLogicalTypeAnnotation integer
                        && (integer.isSigned() || integer.getBitWidth() < 64)));
    }

    /** Where each row group starts in the object, in the file's order. */
    public List<Long> rowGroupStarts() {
        return reader.getRowGroups().stream().map(BlockMetaData::getStartingPos).toList();
    }

    /** Rows in the object. */
    public long rowCount() {
        return reader.getRecordCount();
    }

    /**
     * Reads the rows of the row groups that start in {@code [start, end)}, in order.
     *
     * @return the rows read
     */
    public long read(long start, long end, RowConsumer consumer) throws IOException {
        List<BlockMetaData> groups = reader.getRowGroups();
        long index = 0;
        long read = 0;
        ColumnIOFactory io = new ColumnIOFactory();
        for (int g = 0; g < groups.size(); g++) {
            BlockMetaData group = groups.get(g);
            if (group.getStartingPos() < start || group.getStartingPos() >= end) {
                index += group.getRowCount();
                continue;
            }
            PageReadStore pages = reader.readRowGroup(g);
            RecordReader<Group> records = io.getColumnIO(columns, fileSchema)
                    .getRecordReader(pages, new GroupRecordConverter(columns));
            for (long r = 0; r < pages.getRowCount(); r++) {
                Group record = records.read();
                Object[] values = new Object[columns.getFieldCount()];
                for (int c = 0; c < values.length; c++) {
                    values[c] = record.getFieldRepetitionCount(c) == 0 ? null
                            : value(record, c, columns.getType(c).asPrimitiveType());
                }
                consumer.row(index++, values);
                read++;
            }
        }
        return read;
    }

    private Object value(Group record, int c, PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return record.getBoolean(c, 0);
            case INT32: {
                int v = record.getInteger(c, 0);
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return LocalDate.ofEpochDay(v).toString();
                }
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    return BigDecimal.valueOf(v, decimal.getScale());
                }
                if (logical instanceof TimeLogicalTypeAnnotation) {
                    return LocalTime.ofNanoOfDay(v * 1_000_000L).toString();
                }
                if (logical instanceof IntLogicalTypeAnnotation integer && !integer.isSigned()) {
                    return Integer.toUnsignedLong(v);
                }
                return (long) v;
            }
            case INT64: {
                long v = record.getLong(c, 0);
                if (logical instanceof TimestampLogicalTypeAnnotation timestamp) {
                    String text = instant(v, timestamp.getUnit()).toString();
                    return timestamp.isAdjustedToUTC() ? text : text.substring(0, text.length() - 1);
                }
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    return BigDecimal.valueOf(v, decimal.getScale());
                }
                if (logical instanceof TimeLogicalTypeAnnotation time) {
                    return LocalTime.ofNanoOfDay(time.getUnit() == TimeUnit.NANOS ? v : v * 1_000L).toString();
                }
                if (logical instanceof IntLogicalTypeAnnotation integer && !integer.isSigned() && v < 0) {
                    return new BigInteger(Long.toUnsignedString(v));
                }
                return v;
            }
            case INT96: {
                ByteBuffer bytes = record.getInt96(c, 0).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanosOfDay = bytes.getLong();
                long day = bytes.getInt() - JULIAN_DAY_OF_EPOCH;
                return Instant.ofEpochSecond(day * 86_400, nanosOfDay).toString();
            }
            case FLOAT: {
                float v = record.getFloat(c, 0);
                return Float.isFinite(v) ? Double.valueOf(Float.toString(v)) : null;
            }
            case DOUBLE: {
                double v = record.getDouble(c, 0);
                return Double.isFinite(v) ? v : null;
            }
            default: { // BINARY, FIXED_LEN_BYTE_ARRAY
                Binary binary = record.getBinary(c, 0);
                if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                    if (binary.length() == 0) {
                        throw new UnsupportedParquetException(where + ": column '" + type.getName() + "' holds a"
                                + " decimal of no bytes, which is not a number");
                    }
                    return new BigDecimal(new BigInteger(binary.getBytes()), decimal.getScale());
                }
                if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
                    ByteBuffer bytes = binary.toByteBuffer();
                    return new UUID(bytes.getLong(), bytes.getLong()).toString();
                }
                return binary.toStringUsingUTF8();
            }
        }
    }

    private static Instant instant(long value, TimeUnit unit) {
        return switch (unit) {
            case MILLIS -> Instant.ofEpochMilli(value);
            case MICROS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
                    Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOS -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L),
                    Math.floorMod(value, 1_000_000_000L));
        };
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    @Override
    public String toString() {
        return where;
    }
}
