package io.capstan.predict.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.predict.batch.ParquetPackageProbe;
import io.capstan.predict.testutils.LambdaTaskRoot;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment package: ONNX Runtime's natives for one platform only, pre-extracted for Lambda to unzip, within the
 * size limit; and, unpacked as Lambda unpacks it, a fresh JVM serves a prediction through the Lambda entry point with
 * ONNX Runtime loading its library from the task root rather than from a copy in the temp folder.
 */
class PredictPackageIT {
    private static final String NATIVE_ROOT = "ai/onnxruntime/native/";
    private static final Path PACKAGE = Paths.get(System.getProperty("capstan.predict.package",
            "target/capstan-predict-lambda.jar"));
    private static final String PLATFORM = System.getProperty("capstan.predict.native-platform", "linux-aarch64");
    private static final long MAX_BYTES = Long.getLong("capstan.predict.package-max-bytes", 60L * 1024 * 1024);

    @TempDir
    Path work;

    @Test
    void lambdaPackage_carriesTheNativesOfOnePlatformOnly() throws Exception {
        List<String> natives;
        try (ZipFile zip = new ZipFile(PACKAGE.toFile())) {
            natives = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith(NATIVE_ROOT) || name.endsWith(".so") || name.endsWith(".dll")
                            || name.endsWith(".dylib") || name.endsWith(".jnilib"))
                    .filter(name -> !name.endsWith("/")).toList();
        }

        assertThat(natives).containsExactlyInAnyOrder(NATIVE_ROOT + PLATFORM + "/libonnxruntime.so",
                NATIVE_ROOT + PLATFORM + "/libonnxruntime4j_jni.so",
                // the Parquet codecs' (batch predictions), by their own libraries' platform names
                "org/xerial/snappy/native/Linux/aarch64/libsnappyjava.so",
                "linux/aarch64/libzstd-jni-" + com.github.luben.zstd.util.ZstdVersion.VERSION + ".so");
    }

    @Test
    void lambdaPackage_unpacked_readsAndWritesParquet_withHadoopsTwoJarsAlone() throws Exception {
        Path taskRoot = Files.createDirectories(work.resolve("task"));
        LambdaTaskRoot.unpack(PACKAGE, taskRoot);
        Path testClasses = Paths.get(ParquetPackageProbe.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Path fixtures = testClasses.resolve("parquet");
        List<String> command = new java.util.ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin",
                "java").toString(), "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")), "-cp",
                taskRoot + File.pathSeparator + testClasses, ParquetPackageProbe.class.getName()));
        for (String codec : List.of("snappy", "zstd", "gzip", "lz4", "none-v2-pages")) {
            command.add(fixtures.resolve("customers-" + codec + ".parquet").toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("customers-snappy.parquet rows: 100", "customers-zstd.parquet rows: 100",
                "customers-lz4.parquet rows: 100", "part rows: 3, first: [100, 0, 0.25, 0.75]");
        try (var classes = Files.walk(taskRoot.resolve("org/apache/hadoop"))) {
            assertThat(classes.filter(p -> p.toString().contains("woodstox") || p.toString().contains("/shaded/"))
                    .toList()).as("no Hadoop dependency came along").isEmpty();
        }
        assertThat(taskRoot.resolve("com/ctc/wstx")).as("no XML parser for Hadoop's configuration").doesNotExist();
    }

    @Test
    void lambdaPackage_isWithinTheSizeLimit() throws Exception {
        assertThat(Files.size(PACKAGE)).as("package bytes").isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void lambdaPackage_unpackedAsLambdaDoes_servesAPredictionWithNativesLoadedInPlace() throws Exception {
        Path taskRoot = Files.createDirectories(work.resolve("task"));
        Path emptyTemp = Files.createDirectories(work.resolve("tmp"));
        LambdaTaskRoot.unpack(PACKAGE, taskRoot);
        LambdaTaskRoot.writeModel(TrainedModels.breastCancer(), work.resolve("model"));
        Path event = Files.writeString(work.resolve("event.json"), LambdaTaskRoot.event("invocations.json",
                Requests.dataframeSplit(TrainedModels.breastCancer(), 3)));
        Path testClasses = Paths.get(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + emptyTemp, "-cp", taskRoot + File.pathSeparator + testClasses,
                ColdStartProbe.class.getName(), work.resolve("model").toString(), event.toString())
                .redirectErrorStream(true);
        builder.environment().put("LAMBDA_TASK_ROOT", taskRoot.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("\"statusCode\":200", "\"X-Capstan-Model-Version\":\"1\"", "predictions");
        assertThat(output).contains("onnxruntime-library: " + taskRoot.resolve(NATIVE_ROOT)
                .resolve(LambdaTaskRoot.hostPlatform()).resolve("libonnxruntime.so"));
        try (var leftovers = Files.walk(emptyTemp)) {
            assertThat(leftovers.filter(p -> p.toString().endsWith(".so")).toList()).isEmpty();
        }
    }
}
