package io.capstan.infra.testutils;

import io.capstan.infra.CapstanApp;
import io.capstan.infra.monitoring.DriftSchedule;
import io.capstan.infra.pipeline.BatchLocationSettings;
import io.capstan.infra.monitoring.QualitySchedule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * Capstan's whole app, defined as {@code cdk synth} defines it (with stand-in jars and trainer, and two drift
 * and two quality schedules: every model hourly and {@value #SCHEDULED_MODEL} every 30 minutes) and synthesized once per test JVM:
 * the stack tests and the cdk-nag test read their templates and messages from the same cloud assembly, because a
 * synthesis with jsii and cdk-nag costs seconds.
 */
public final class SharedApp {

    /** The model the shared app schedules by name. */
    public static final String SCHEDULED_MODEL = "churn";
    /** Its schedule. */
    public static final String SCHEDULED_MODEL_RATE = "rate(30 minutes)";
    /** The drift schedules of the shared app, as the CDK context carries them. */
    public static final String DRIFT_SCHEDULES = "[{\"model\": \"*\", \"schedule\": \"rate(1 hour)\"}, "
            + "{\"model\": \"" + SCHEDULED_MODEL + "\", \"schedule\": \"" + SCHEDULED_MODEL_RATE + "\"}]";
    /** The quality schedules of the shared app: every model hourly, and the named one with an accuracy alarm. */
    public static final String QUALITY_SCHEDULES = "[{\"model\": \"*\", \"schedule\": \"rate(1 hour)\"}, "
            + "{\"model\": \"" + SCHEDULED_MODEL + "\", \"schedule\": \"" + SCHEDULED_MODEL_RATE + "\", "
            + "\"window_hours\": 6, \"min_accuracy\": 0.9}]";
    /** Where the stand-in jars and trainer are written (under the module's build folder). */
    /** One batch location beyond the dataset bucket's batch/. */
    public static final String BATCH_LOCATION = "s3://partner-scores/capstan/";
    public static final String BATCH_LOCATIONS = "[\"" + BATCH_LOCATION + "\"]";
    public static final Path CODE_DIR = Path.of("target", "shared-test-app").toAbsolutePath();

    private static CapstanApp.Stacks stacks;
    private static CloudAssembly assembly;
    private static final Map<String, Template> TEMPLATES = new HashMap<>();

    private SharedApp() {
    }

    /** The context the shared app is built with (beyond the stand-ins). */
    public static Map<String, Object> context() {
        return Map.of(DriftSchedule.CONTEXT_KEY, DRIFT_SCHEDULES, QualitySchedule.CONTEXT_KEY, QUALITY_SCHEDULES,
                BatchLocationSettings.CONTEXT_KEY, BATCH_LOCATIONS);
    }

    /** A new app with the shared app's context: synthesizes to the same templates. */
    public static App newApp() {
        return TestApps.withStandInJars(CODE_DIR, context());
    }

    public static synchronized CapstanApp.Stacks stacks() {
        if (stacks == null) {
            stacks = CapstanApp.define(newApp());
            assembly = ((App) stacks.storage().getNode().getRoot()).synth();
        }
        return stacks;
    }

    /** {@code stack}'s synthesized template. */
    public static synchronized Template template(Stack stack) {
        return TEMPLATES.computeIfAbsent(stack.getArtifactId(), id -> Template.fromJSON(templateJson(stack)));
    }

    /** {@code stack}'s synthesized template as parsed JSON. */
    @SuppressWarnings("unchecked")
    public static synchronized Map<String, Object> templateJson(Stack stack) {
        return (Map<String, Object>) artifact(stack).getTemplate();
    }

    /** What synthesis reported on {@code stack}'s constructs (cdk-nag's findings among them). */
    public static synchronized List<SynthesisMessage> messages(Stack stack) {
        return artifact(stack).getMessages();
    }

    private static CloudFormationStackArtifact artifact(Stack stack) {
        stacks();
        return assembly.getStackArtifact(stack.getArtifactId());
    }
}
