package io.capstan.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.trainer.testutils.MlRoot;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged program as the Dockerfile and the local platform run it:
 * {@code java -cp "target/capstan-trainer-<version>.jar:target/lib/*" io.capstan.trainer.TrainerMain train}.
 */
class TrainerProcessIT {

    @TempDir
    Path temp;

    @Test
    void main_packagedJarWithLib_trainsAndExitsZero() throws Exception {
        MlRoot root = MlRoot.in(temp).channel("train", "iris.csv").hyperparameters(Map.of("epochs", 3));

        Result result = run(List.of("train", "--ml-root", temp.toString()), Map.of());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("epoch=3/3 ", "validation:accuracy=").doesNotContain("INFO:");
        assertThat(root.model("model.onnx")).exists();
        assertThat(root.model("model-card.json")).exists();
        assertThat(root.model("metrics.json")).exists();
        assertThat(root.model("validation-predictions.csv")).exists();
        assertThat(root.model("profile.json")).exists();
    }

    @Test
    void main_missingChannel_writesFailureAndExitsOne() throws Exception {
        Result result = run(List.of("train"), Map.of("CAPSTAN_ML_ROOT", temp.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(Files.readString(temp.resolve("output/failure"))).startsWith("ClientError: channel 'train'");
    }

    private Result run(List<String> arguments, Map<String, String> env) throws IOException, InterruptedException {
        String classpath = System.getProperty("capstan.trainer.jar") + File.pathSeparator
                + System.getProperty("capstan.trainer.lib") + File.separator + "*";
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                "io.capstan.trainer.TrainerMain"));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SM_") || name.startsWith("CAPSTAN_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
