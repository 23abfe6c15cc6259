package io.capstan.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledOnnxRuntimeTest {
    @TempDir
    Path taskRoot;

    @Test
    void useBundledNatives_packageHasThisPlatform_pointsOnnxRuntimeAtIt() throws Exception {
        Path natives = nativesFor("linux-aarch64");
        Properties properties = linux("aarch64");

        Optional<Path> used = BundledOnnxRuntime.useBundledNatives(Map.of("LAMBDA_TASK_ROOT", taskRoot.toString()),
                properties);

        assertThat(used).contains(natives);
        assertThat(properties.getProperty("onnxruntime.native.path")).isEqualTo(natives.toString());
    }

    @Test
    void useBundledNatives_packageForAnotherPlatform_setsNothing() throws Exception {
        nativesFor("linux-aarch64");
        Properties properties = linux("amd64");

        assertThat(BundledOnnxRuntime.useBundledNatives(Map.of("LAMBDA_TASK_ROOT", taskRoot.toString()), properties))
                .isEmpty();
        assertThat(properties.getProperty("onnxruntime.native.path")).isNull();
    }

    @Test
    void useBundledNatives_outsideLambda_setsNothing() throws Exception {
        nativesFor("linux-aarch64");

        assertThat(BundledOnnxRuntime.useBundledNatives(Map.of(), linux("aarch64"))).isEmpty();
    }

    @Test
    void useBundledNatives_pathAlreadySet_keepsIt() throws Exception {
        nativesFor("linux-aarch64");
        Properties properties = linux("aarch64");
        properties.setProperty("onnxruntime.native.path", "/opt/ort");

        BundledOnnxRuntime.useBundledNatives(Map.of("LAMBDA_TASK_ROOT", taskRoot.toString()), properties);

        assertThat(properties.getProperty("onnxruntime.native.path")).isEqualTo("/opt/ort");
    }

    @Test
    void platform_mapsJvmNamesToOnnxRuntimeNames() {
        assertThat(BundledOnnxRuntime.platform("Linux", "aarch64")).contains("linux-aarch64");
        assertThat(BundledOnnxRuntime.platform("Linux", "amd64")).contains("linux-x64");
        assertThat(BundledOnnxRuntime.platform("Mac OS X", "aarch64")).isEmpty();
    }

    private Path nativesFor(String platform) throws Exception {
        Path directory = Files.createDirectories(taskRoot.resolve("ai/onnxruntime/native").resolve(platform));
        Files.writeString(directory.resolve("libonnxruntime.so"), "elf");
        Files.writeString(directory.resolve("libonnxruntime4j_jni.so"), "elf");
        return directory;
    }

    private static Properties linux(String arch) {
        Properties properties = new Properties();
        properties.setProperty("os.name", "Linux");
        properties.setProperty("os.arch", arch);
        return properties;
    }
}
