package io.capstan.predict.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.predict.batch.parquet.ParquetRows;
import io.capstan.predict.batch.parquet.RangedInputFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a fresh JVM whose class path is an unpacked Lambda package plus the test classes (PredictPackageIT): reads
 * each Parquet file named (all its rows), writes a part of predictions with {@link ParquetPartWriter} and reads it
 * back, printing what it read, so the package is shown to hold everything the Parquet path loads, and Hadoop's jars without
 * their dependencies to be enough.
 */
public final class ParquetPackageProbe {
    private ParquetPackageProbe() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            System.out.println(Path.of(name).getFileName() + " rows: " + rows(Path.of(name)).size());
        }
        Path part = Files.createTempFile("part-", ".parquet");
        try (ParquetPartWriter writer = new ParquetPartWriter(part, "customer_id", true)) {
            for (int r = 0; r < 3; r++) {
                writer.write(Integer.toString(100 + r), new ObjectMapper().readTree("{\"label\": " + (r % 2)
                        + ", \"probabilities\": {\"0\": 0.25, \"1\": 0.75}, \"prediction_id\": \"x\"}"));
            }
        }
        List<Object[]> written = rows(part);
        System.out.println("part rows: " + written.size() + ", first: " + java.util.Arrays.toString(written.get(0)));
    }

    private static List<Object[]> rows(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        List<Object[]> rows = new ArrayList<>();
        try (ParquetRows parquet = ParquetRows.open(RangedInputFile.inMemory(bytes), file.toString())) {
            parquet.read(0, bytes.length, (index, values) -> rows.add(values));
        }
        return rows;
    }
}
