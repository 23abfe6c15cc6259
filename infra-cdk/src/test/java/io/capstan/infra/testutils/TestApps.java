package io.capstan.infra.testutils;

import io.capstan.http.FunctionId;
import io.capstan.infra.CapstanApp;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.pipeline.PipelineSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;

/**
 * Apps for template tests: Capstan's feature flags, {@value FunctionCode#CONTEXT_KEY} pointing at a folder of
 * stand-in jars and {@value PipelineSources#TRAINER_CONTEXT_KEY} at a stand-in trainer build context, so no test
 * depends on the function modules or the trainer having been built. The state machine definition is the
 * repository's own file.
 */
public final class TestApps {

    private TestApps() {
    }

    /** An app whose function code and trainer are stand-ins under {@code codeDir}, written there first. */
    public static App withStandInJars(Path codeDir) {
        return withStandInJars(codeDir, Map.of());
    }

    /** As {@link #withStandInJars(Path)}, with more context. */
    public static App withStandInJars(Path codeDir, Map<String, ?> context) {
        writeStandInJars(codeDir);
        Path trainer = writeStandInTrainer(codeDir.resolve("trainer"));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(FunctionCode.CONTEXT_KEY, codeDir.toString());
        all.put(PipelineSources.TRAINER_CONTEXT_KEY, trainer.toString());
        all.putAll(context);
        return CapstanApp.newApp(all);
    }

    /** Writes a small file at every jar path the app deploys, each with distinct fixed content. */
    public static void writeStandInJars(Path codeDir) {
        FunctionCode code = new FunctionCode(codeDir);
        List<String> modules = new ArrayList<>();
        for (FunctionId function : FunctionId.values()) {
            modules.add(function.id());
        }
        modules.add(ApiStack.AUTHORIZER_MODULE);
        try {
            for (String module : modules) {
                Path jar = code.jarOf(module);
                Files.createDirectories(jar.getParent());
                Files.writeString(jar, "stand-in for " + module, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a trainer build context (Dockerfile, packaged jar, lib/) with fixed content under {@code dir}. */
    public static Path writeStandInTrainer(Path dir) {
        try {
            Files.createDirectories(dir.resolve("target/lib"));
            Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\nCOPY target/ /opt/capstan/\n",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("target/capstan-trainer-0.0.0-test.jar"), "stand-in trainer",
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("target/lib/dependency.jar"), "stand-in dependency", StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
