package io.capstan.infra.function;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A Capstan Lambda function: Java 21 on ARM64 with SnapStart on published versions, JSON logs into its own log
 * group, and a role with no managed policy (it may write its own logs, and whatever the caller grants). Callers
 * invoke {@link #alias()}, which points at the version published from the current code and configuration.
 */
public final class CapstanFunction extends Construct {

    /** The runtime of every Capstan function. */
    public static final Runtime RUNTIME = Runtime.JAVA_21;
    /** How long function logs are kept. */
    public static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;
    /** The alias every integration and authorizer targets. */
    public static final String ALIAS_NAME = "live";

    private final Role role;
    private final Function function;
    private final Alias alias;

    public CapstanFunction(Construct scope, String id, CapstanFunctionProps props) {
        super(scope, id);
        Objects.requireNonNull(props, "props");
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Capstan " + id + " function: its own logs plus explicit grants")
                .build();
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        logs.grantWrite(role);
        this.function = Function.Builder.create(this, "Function")
                .description(props.description())
                .runtime(RUNTIME)
                .architecture(Architecture.ARM_64)
                .handler(props.handler())
                .code(props.code())
                .memorySize(props.memoryMib())
                .timeout(props.timeout())
                .environment(props.environment())
                .role(role)
                .logGroup(logs)
                .loggingFormat(LoggingFormat.JSON)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                // a replaced version is deleted once the alias has moved on, rather than kept forever
                .currentVersionOptions(VersionOptions.builder().removalPolicy(RemovalPolicy.DESTROY).build())
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the alias targets currentVersion, a version CDK publishes on every code or configuration change");
        this.alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS_NAME)
                .version(function.getCurrentVersion())
                .build();
        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 is the newest Java runtime Capstan targets and tests its functions (and SnapStart) "
                        + "on; java25 follows once the function modules are built and tested for it.")
                .build()), true);
    }

    /** The role the function runs as; grant access to it. */
    public IRole role() {
        return role;
    }

    /** The unpublished function ($LATEST). */
    public Function function() {
        return function;
    }

    /** The alias to invoke: integrations, authorizers and permissions target it. */
    public IFunction alias() {
        return alias;
    }
}
