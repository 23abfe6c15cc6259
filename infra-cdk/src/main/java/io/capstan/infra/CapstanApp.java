package io.capstan.infra;

import io.capstan.http.RouteTable;
import io.capstan.infra.api.ApiStack;
import io.capstan.infra.api.ApiStackProps;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageDefinitions;
import io.capstan.infra.storage.StorageStack;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Tags;

/**
 * Capstan's CDK app: wires the storage stack into the API stack and applies cdk-nag's AwsSolutions checks to
 * the whole app. Context {@value FunctionCode#CONTEXT_KEY} says where the function jars are.
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

    /** Adds Capstan's stacks to {@code app} and the AwsSolutions checks to everything in it. */
    public static Stacks define(App app) {
        StorageStack storage = new StorageStack(app, "CapstanStorage", StorageDefinitions.capstan());
        ApiStack api = new ApiStack(app, "CapstanApi",
                new ApiStackProps(storage.resources(), RouteTable.capstan(), FunctionCode.fromContext(app)));
        Tags.of(app).add("project", "capstan");
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return new Stacks(storage, api);
    }

    /**
     * The stacks {@link #define} created.
     *
     * @param storage the stateful stack
     * @param api     the functions and APIs
     */
    public record Stacks(StorageStack storage, ApiStack api) {
    }
}
