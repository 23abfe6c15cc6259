package io.capstan.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.infra.testutils.TestApps;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * The whole app, wired as {@code cdk synth} wires it, leaves no cdk-nag AwsSolutions finding unsuppressed.
 * {@link Annotations#fromStack} synthesizes the app each time it is called, so each stack's annotations are
 * read once.
 */
class CapstanAppNagTest {

    @TempDir
    static Path codeDir;

    private static final Map<String, Annotations> ANNOTATIONS = new LinkedHashMap<>();

    @BeforeAll
    static void synthesize() {
        App app = TestApps.withStandInJars(codeDir);
        CapstanApp.Stacks stacks = CapstanApp.define(app);
        for (Stack stack : List.of(stacks.storage(), stacks.api())) {
            ANNOTATIONS.put(stack.getStackName(), Annotations.fromStack(stack));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CapstanStorage", "CapstanApi"})
    void awsSolutions_stack_hasNoUnsuppressedErrors(String stackName) {
        List<SynthesisMessage> errors = ANNOTATIONS.get(stackName)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(errors).extracting(CapstanAppNagTest::describe).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CapstanStorage", "CapstanApi"})
    void awsSolutions_stack_hasNoUnsuppressedWarnings(String stackName) {
        List<SynthesisMessage> warnings = ANNOTATIONS.get(stackName)
                .findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));

        assertThat(warnings).extracting(CapstanAppNagTest::describe).isEmpty();
    }

    static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
