package io.capstan.predict.testutils;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.model.ModelCard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What Lambda does with the deployment package, on this machine: unzips it into a task root. When this machine's
 * architecture is not the package's, the ONNX Runtime natives for this machine are added beside the package's (from
 * the onnxruntime jar on the test class path), standing in for the same package built for this architecture.
 */
public final class LambdaTaskRoot {
    private LambdaTaskRoot() {
    }

    /** Unzips {@code lambdaPackage} into {@code taskRoot} and makes sure natives for this machine are there. */
    public static void unpack(Path lambdaPackage, Path taskRoot) throws IOException {
        try (ZipFile zip = new ZipFile(lambdaPackage.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = taskRoot.resolve(entry.getName()).normalize();
                if (!target.startsWith(taskRoot)) {
                    throw new IOException("entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        String platform = hostPlatform();
        Path natives = taskRoot.resolve("ai/onnxruntime/native").resolve(platform);
        if (!Files.isRegularFile(natives.resolve("libonnxruntime.so"))) {
            copyHostNatives(platform, natives);
        }
        // the Parquet codecs' natives (batch predictions): snappy-java and zstd-jni find theirs by these names
        boolean arm = platform.equals("linux-aarch64");
        copyEntry(org.xerial.snappy.Snappy.class, "org/xerial/snappy/native/Linux/" + (arm ? "aarch64" : "x86_64")
                + "/libsnappyjava.so", taskRoot);
        copyEntry(com.github.luben.zstd.Zstd.class, "linux/" + (arm ? "aarch64" : "amd64") + "/libzstd-jni-"
                + com.github.luben.zstd.util.ZstdVersion.VERSION + ".so", taskRoot);
    }

    /** Copies {@code entry} of the jar that holds {@code owner} into the task root, when the package lacks it. */
    private static void copyEntry(Class<?> owner, String entry, Path taskRoot) throws IOException {
        Path target = taskRoot.resolve(entry);
        if (Files.isRegularFile(target)) {
            return;
        }
        try (ZipFile zip = new ZipFile(Path.of(owner.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toFile())) {
            Files.createDirectories(target.getParent());
            try (InputStream in = zip.getInputStream(zip.getEntry(entry))) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** ONNX Runtime's name for this machine's platform. */
    public static String hostPlatform() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") ? "linux-aarch64" : "linux-x64";
    }

    /** Writes {@code model.onnx} and {@code model-card.json}, as the registry stores a version. */
    public static void writeModel(TrainedModel model, Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.write(directory.resolve("model.onnx"), model.onnx());
        Files.write(directory.resolve(ModelCard.FILE_NAME), model.card().toJson());
    }

    /** An API Gateway HTTP API event from the test resources with {@code body} put in place of ${BODY}. */
    public static String event(String resource, String body) throws IOException {
        try (InputStream in = LambdaTaskRoot.class.getResourceAsStream("/events/" + resource)) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return template.replace("\"${BODY}\"", Requests.JSON.writeValueAsString(body))
                    .replace("${BODY_BASE64}", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void copyHostNatives(String platform, Path natives) throws IOException {
        Path ortJar;
        try {
            ortJar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Files.createDirectories(natives);
        try (ZipFile zip = new ZipFile(ortJar.toFile())) {
            for (String library : new String[]{"libonnxruntime.so", "libonnxruntime4j_jni.so"}) {
                ZipEntry entry = zip.getEntry("ai/onnxruntime/native/" + platform + "/" + library);
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, natives.resolve(library), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
