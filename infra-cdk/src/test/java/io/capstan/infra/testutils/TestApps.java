package io.capstan.infra.testutils;

import io.capstan.infra.CapstanApp;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.function.FunctionCode;
import io.capstan.http.FunctionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;

/**
 * Apps for template tests: Capstan's feature flags, and {@value FunctionCode#CONTEXT_KEY} pointing at a folder
 * of stand-in jars, so no test depends on the function modules having been built.
 */
public final class TestApps {

    private TestApps() {
    }

    /** An app whose function code is the stand-in jars under {@code codeDir}, written there first. */
    public static App withStandInJars(Path codeDir) {
        writeStandInJars(codeDir);
        return CapstanApp.newApp(Map.of(FunctionCode.CONTEXT_KEY, codeDir.toString()));
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
}
