package io.capstan.infra.function;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.http.FunctionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/deploy.sh} builds every Lambda package the app deploys: one missing from its list is a jar the
 * synthesizer refuses on a fresh checkout ({@link FunctionCode}).
 */
class DeployScriptTest {

    @Test
    void deployScript_buildsTheJarOfEveryFunctionAndTheAuthorizer() throws Exception {
        String script = Files.readString(Path.of("..", "scripts", "deploy.sh"));
        Matcher modules = Pattern.compile("(?m)^modules=\\(([^)]*)\\)").matcher(script);
        assertThat(modules.find()).as("the modules=(...) line of scripts/deploy.sh").isTrue();
        List<String> built = Arrays.asList(modules.group(1).trim().split("\\s+"));

        assertThat(built).contains("authorizer");
        for (FunctionId function : FunctionId.values()) {
            assertThat(built).as("scripts/deploy.sh builds " + function.id()).contains(function.id());
        }
    }
}
