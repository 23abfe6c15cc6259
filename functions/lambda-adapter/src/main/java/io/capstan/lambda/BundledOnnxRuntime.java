package io.capstan.lambda;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Points ONNX Runtime at the native libraries the Lambda package carries. The package holds them at
 * {@code ai/onnxruntime/native/<platform>/}, and Lambda unzips the package into {@code $LAMBDA_TASK_ROOT}, so they are
 * already files there: with {@code onnxruntime.native.path} set, ONNX Runtime loads them in place instead of copying
 * its 25-28 MB library out of the jar into /tmp on every cold start (148 ms instead of about 300 ms, STACK-NOTES §3).
 * Outside Lambda (tests, the local gateway) nothing is set and ONNX Runtime extracts from its jar as usual.
 */
public final class BundledOnnxRuntime {
    public static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    static final String TASK_ROOT_ENV = "LAMBDA_TASK_ROOT";
    static final String NATIVE_ROOT = "ai/onnxruntime/native";

    private static final System.Logger LOG = System.getLogger(BundledOnnxRuntime.class.getName());

    private BundledOnnxRuntime() {
    }

    /**
     * Points ONNX Runtime at this package's natives when running in Lambda. Call it from the handler's static
     * initializer, before any ONNX Runtime class initializes; it does nothing elsewhere.
     */
    public static void useInLambda() {
        useBundledNatives(System.getenv(), System.getProperties()).ifPresent(directory ->
                LOG.log(System.Logger.Level.DEBUG, "ONNX Runtime natives from {0}", directory));
    }

    /**
     * Sets {@value #NATIVE_PATH_PROPERTY} in {@code properties} to the package's natives for this platform, unless it
     * is set already or the package has none for this platform.
     *
     * @return the directory now used, or empty when nothing was set
     */
    public static Optional<Path> useBundledNatives(Map<String, String> environment, Properties properties) {
        String taskRoot = environment.get(TASK_ROOT_ENV);
        Optional<String> platform = platform(properties.getProperty("os.name", ""),
                properties.getProperty("os.arch", ""));
        if (properties.getProperty(NATIVE_PATH_PROPERTY) != null || taskRoot == null || platform.isEmpty()) {
            return Optional.empty();
        }
        Path directory = Path.of(taskRoot, NATIVE_ROOT, platform.get());
        boolean complete = Files.isRegularFile(directory.resolve("libonnxruntime.so"))
                && Files.isRegularFile(directory.resolve("libonnxruntime4j_jni.so"));
        if (!complete) {
            return Optional.empty();
        }
        properties.setProperty(NATIVE_PATH_PROPERTY, directory.toString());
        return Optional.of(directory);
    }

    /** ONNX Runtime's name for a Linux platform ({@code linux-aarch64}, {@code linux-x64}); empty elsewhere. */
    static Optional<String> platform(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return Optional.of("linux-aarch64");
        }
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return Optional.of("linux-x64");
        }
        return Optional.empty();
    }
}
