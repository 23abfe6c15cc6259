package io.capstan.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.infra.testutils.SharedApp;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;
import software.amazon.awscdk.services.sns.Topic;

/**
 * The whole app, wired as {@code cdk synth} wires it, leaves no cdk-nag AwsSolutions finding unsuppressed. The
 * findings are read from the shared app's cloud assembly (one synthesis), not with {@code Annotations.fromStack},
 * which synthesizes the app again on every call.
 */
class CapstanAppNagTest {

    private static final Map<String, List<SynthesisMessage>> MESSAGES = new LinkedHashMap<>();

    @BeforeAll
    static void synthesize() {
        for (Stack stack : SharedApp.stacks().all()) {
            MESSAGES.put(stack.getStackName(), SharedApp.messages(stack));
        }
    }

    @Test
    void findings_ofAStackBreakingARule_areReportedAsErrors() {
        // proves the reading below sees cdk-nag's findings: a topic without a TLS-only policy
        App app = CapstanApp.newApp(Map.of());
        Stack stack = new Stack(app, "NonCompliant");
        new Topic(stack, "PlainTopic");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));

        List<SynthesisMessage> errors = findings(app.synth().getStackArtifact(stack.getArtifactId()).getMessages(),
                SynthesisMessageLevel.ERROR);

        assertThat(errors).extracting(CapstanAppNagTest::describe)
                .anySatisfy(error -> assertThat(error).contains("AwsSolutions-SNS3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CapstanStorage", "CapstanPipeline", "CapstanApi", "CapstanMonitoring"})
    void awsSolutions_stack_hasNoUnsuppressedErrors(String stackName) {
        List<SynthesisMessage> errors = findings(MESSAGES.get(stackName), SynthesisMessageLevel.ERROR);

        assertThat(errors).extracting(CapstanAppNagTest::describe).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CapstanStorage", "CapstanPipeline", "CapstanApi", "CapstanMonitoring"})
    void awsSolutions_stack_hasNoUnsuppressedWarnings(String stackName) {
        List<SynthesisMessage> warnings = findings(MESSAGES.get(stackName), SynthesisMessageLevel.WARNING);

        assertThat(warnings).extracting(CapstanAppNagTest::describe).isEmpty();
    }

    /** cdk-nag's AwsSolutions findings among {@code messages}, at {@code level}. */
    private static List<SynthesisMessage> findings(List<SynthesisMessage> messages, SynthesisMessageLevel level) {
        return messages.stream()
                .filter(message -> message.getLevel() == level)
                .filter(message -> String.valueOf(message.getEntry().getData()).startsWith("AwsSolutions-"))
                .toList();
    }

    static String describe(SynthesisMessage message) {
        return message.getId() + ": " + message.getEntry().getData();
    }
}
