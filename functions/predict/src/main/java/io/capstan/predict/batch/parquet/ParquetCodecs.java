package io.capstan.predict.batch.parquet;

import com.github.luben.zstd.Zstd;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.xerial.snappy.Snappy;

/**
 * Parquet's page codecs on their own libraries (snappy-java, zstd-jni, aircompressor's LZ4, the JDK's gzip), given
 * to parquet-java's reader and writer in place of its default factory, which goes through Hadoop's codec classes and
 * their configuration (apache/parquet-java#2818). Reads what pyarrow, pandas, Spark and DuckDB write: uncompressed,
 * snappy, gzip, zstd and LZ4 (raw); writes snappy. Brotli, LZO and the deprecated Hadoop-framed LZ4 are refused,
 * naming the codec.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    /** The codec Capstan writes its parts with: pandas' and pyarrow's default. */
    private static final CompressionCodecName WRITTEN = CompressionCodecName.SNAPPY;

    /**
     * A writer of parquet-java's example {@code Group}s to {@code file} on these codecs, with no Hadoop configuration:
     * snappy pages, row groups cut at {@code rowGroupBytes}, the file replaced if it exists.
     */
    public static ParquetWriter<Group> writer(Path file, MessageType schema, long rowGroupBytes) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(new ParquetCodecs())
                .withCompressionCodec(WRITTEN)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withRowGroupSize(rowGroupBytes)
                .withType(schema)
                .build();
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        if (codec != CompressionCodecName.UNCOMPRESSED && codec != WRITTEN) {
            throw new UnsupportedOperationException("Capstan writes Parquet with " + WRITTEN + ", not " + codec);
        }
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return codec == WRITTEN ? BytesInput.from(Snappy.compress(bytes.toByteArray())) : bytes;
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
                // nothing held
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        switch (codec) {
            case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> {
                return new Decompressor(codec);
            }
            default -> throw new UnsupportedParquetException("pages compressed with "
                    + codec.name().toLowerCase(Locale.ROOT) + " are not read; write the file with snappy, zstd, gzip,"
                    + " lz4 or none");
        }
    }

    @Override
    public void release() {
        // nothing held
    }

    private record Decompressor(CompressionCodecName codec) implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            return BytesInput.from(decompress(bytes.toByteArray(), uncompressedSize));
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            output.put(decompress(compressed, uncompressedSize));
        }

        @Override
        public void release() {
            // nothing held
        }

        private byte[] decompress(byte[] compressed, int size) throws IOException {
            byte[] out = new byte[size];
            int written;
            switch (codec) {
                case UNCOMPRESSED -> {
                    return compressed;
                }
                case SNAPPY -> written = Snappy.uncompress(compressed, 0, compressed.length, out, 0);
                case ZSTD -> {
                    long n = Zstd.decompressByteArray(out, 0, size, compressed, 0, compressed.length);
                    if (Zstd.isError(n)) {
                        throw new IOException("a zstd page cannot be read: " + Zstd.getErrorName(n));
                    }
                    written = (int) n;
                }
                case LZ4_RAW -> written = new Lz4Decompressor().decompress(compressed, 0, compressed.length,
                        out, 0, size);
                default -> { // GZIP
                    try (InputStream gzip = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                        written = gzip.readNBytes(out, 0, size);
                    }
                }
            }
            if (written != size) {
                throw new IOException("a " + codec + " page holds " + written + " bytes; its header says " + size);
            }
            return out;
        }
    }
}
