package io.capstan.infra;

import io.capstan.http.FunctionId;
import io.capstan.http.RouteTable;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.api.ApiStackProps;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.function.Placeholders;
import io.capstan.infra.monitoring.DriftSchedule;
import io.capstan.infra.monitoring.MonitoringStack;
import io.capstan.infra.monitoring.MonitoringStackProps;
import io.capstan.infra.monitoring.QualitySchedule;
import io.capstan.infra.pipeline.BatchLocationSettings;
import io.capstan.infra.pipeline.BatchSettings;
import io.capstan.infra.pipeline.PipelineSources;
import io.capstan.infra.pipeline.PipelineStack;
import io.capstan.infra.pipeline.PipelineStackProps;
import io.capstan.infra.storage.StorageDefinitions;
import io.capstan.infra.storage.StorageStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;

/**
 * Capstan's CDK app: wires the storage stack into the pipeline, API and monitoring stacks and applies cdk-nag's
 * AwsSolutions checks to the whole app. Context keys: {@value FunctionCode#CONTEXT_KEY} (where the function jars
 * are), {@value Placeholders#CONTEXT_KEY} (stand-ins for jars and trainer not built, for {@code cdk destroy}),
 * {@value PipelineSources#REPOSITORY_CONTEXT_KEY} and {@value PipelineSources#TRAINER_CONTEXT_KEY} (the ASL
 * file and the trainer's Docker build context), {@value BatchSettings#MAX_VCPUS_CONTEXT_KEY} and
 * {@value BatchSettings#SPOT_CONTEXT_KEY} (the GPU compute environment), {@value DriftSchedule#CONTEXT_KEY} (the
 * drift check schedules); docs/DEPLOY.md describes each.
 */
public final class CapstanApp {

    /**
     * Feature flags Capstan relies on, set here rather than in cdk.json so tests synthesize what deploys. Server
     * access logs are delivered through a bucket policy, not the legacy log-delivery ACL. Cross-stack references
     * stay strong ({@code Fn::ImportValue}): CloudFormation refuses to delete storage the API still uses.
     */
    public static final Map<String, Object> FEATURE_FLAGS = Map.of(
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/core:defaultCrossStackReferences", "strong");

    private CapstanApp() {
    }

    public static void main(String[] args) {
        App app = newApp(Map.of());
        define(app);
        app.synth();
    }

    /** An app with Capstan's feature flags plus {@code context} (tests pass {@value FunctionCode#CONTEXT_KEY}). */
    public static App newApp(Map<String, ?> context) {
        Map<String, Object> all = new LinkedHashMap<>(FEATURE_FLAGS);
        all.putAll(context);
        return new App(AppProps.builder().context(all).build());
    }

    /**
     * Adds Capstan's stacks to {@code app} and the AwsSolutions checks to everything in it. The pipeline stack comes
     * before the API stack, which takes its state machine: cross-stack references point one way only (storage, then
     * pipeline, then API, then monitoring), so no deploy order can deadlock.
     */
    public static Stacks define(App app) {
        FunctionCode code = FunctionCode.fromContext(app);
        StorageStack storage = new StorageStack(app, "CapstanStorage", StorageDefinitions.capstan());
        BatchLocationSettings batchLocations = BatchLocationSettings.fromContext(app);
        PipelineStack pipeline = new PipelineStack(app, "CapstanPipeline", new PipelineStackProps(storage.resources(),
                code, PipelineSources.fromContext(app), BatchSettings.fromContext(app), batchLocations));
        ApiStack api = new ApiStack(app, "CapstanApi", new ApiStackProps(storage.resources(), RouteTable.capstan(),
                code, pipeline.stateMachine(), pipeline.batchPredictions().stateMachine(), batchLocations,
                pipeline.driftProfiles().stateMachine()));
        MonitoringStack monitoring = new MonitoringStack(app, "CapstanMonitoring", new MonitoringStackProps(
                Map.of("TokenApi", api.tokenApi().api(), "IamApi", api.iamApi().api()),
                api.function(FunctionId.PREDICT), api.function(FunctionId.DRIFT), DriftSchedule.fromContext(app),
                api.function(FunctionId.QUALITY), QualitySchedule.fromContext(app)));
        Tags.of(app).add("project", "capstan");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        Stacks stacks = new Stacks(storage, pipeline, api, monitoring);
        if (code.placeholders()) {
            for (Stack stack : List.of(pipeline, api)) {
                Annotations.of(stack).addWarningV2("capstan:placeholderCode", Placeholders.CONTEXT_KEY + "=true: "
                        + "function jars and a trainer not built are replaced by stand-ins that cannot be deployed; "
                        + "use it for cdk destroy and cdk diff only");
            }
        }
        return stacks;
    }

    /**
     * The stacks {@link #define} created.
     *
     * @param storage    the stateful stack
     * @param pipeline   the retraining pipeline
     * @param api        the functions and APIs
     * @param monitoring the alarms and drift schedules
     */
    public record Stacks(StorageStack storage, PipelineStack pipeline, ApiStack api, MonitoringStack monitoring) {

        /** Every stack, in the order they deploy. */
        public List<Stack> all() {
            return List.of(storage, pipeline, api, monitoring);
        }
    }
}
