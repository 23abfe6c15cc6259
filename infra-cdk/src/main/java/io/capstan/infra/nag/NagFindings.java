package io.capstan.infra.nag;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Names of cdk-nag findings, for suppressions that say exactly which wildcard was reviewed: a suppression without
 * {@code appliesTo} would also hide the next, unreviewed one.
 */
public final class NagFindings {

    /** The AwsSolutions rule on wildcards in IAM policies. */
    public static final String IAM5 = "AwsSolutions-IAM5";

    private NagFindings() {
    }

    /** The IAM5 finding of a wildcard action, e.g. {@code s3:GetObject*}. */
    public static String action(String action) {
        return "Action::" + action;
    }

    /** The IAM5 finding of a resource written literally, e.g. {@code *}. */
    public static String resource(String resource) {
        return "Resource::" + resource;
    }

    /**
     * The IAM5 finding of a resource matching {@code pattern}, a JavaScript regular expression body matched against
     * the whole finding (cdk-nag renders intrinsic functions as {@code <LogicalId.Attribute>} or
     * {@code <AWS::Region>}).
     */
    public static RegexAppliesTo resourceMatching(String pattern) {
        return RegexAppliesTo.builder().regex("/^Resource::" + pattern + "$/").build();
    }

    /**
     * The IAM5 finding of {@code suffix} (e.g. {@code /registry/*}) under {@code resource}'s ARN. cdk-nag renders the
     * ARN as {@code <LogicalId.Arn>} or, across stacks, as the import of an export whose name contains the logical ID,
     * so the pattern matches both.
     */
    public static RegexAppliesTo resourceUnder(IConstruct resource, String suffix) {
        return resourceMatching(".*" + logicalId(resource) + "[^/]*" + escaped(suffix));
    }

    /** Records on {@code scope} (and its children) why the {@code findings} of rule {@code rule} are acceptable. */
    public static void suppress(IConstruct scope, String rule, String reason, List<?> findings) {
        NagSuppressions.addResourceSuppressions(scope, List.of(NagPackSuppression.builder()
                .id(rule)
                .reason(reason)
                .appliesTo(List.copyOf(findings))
                .build()), true);
    }

    /** Records on {@code scope} (and its children) why rule {@code rule} does not apply there at all. */
    public static void suppress(IConstruct scope, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(scope, List.of(NagPackSuppression.builder()
                .id(rule)
                .reason(reason)
                .build()), true);
    }

    /** {@code text} with every character that is not a letter or digit escaped for a JavaScript regular expression. */
    public static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String logicalId(IConstruct resource) {
        IConstruct cfn = resource.getNode().getDefaultChild();
        if (!(cfn instanceof CfnElement element)) {
            throw new IllegalArgumentException(resource.getNode().getPath() + " is not a resource of this app");
        }
        // logical IDs are alphanumeric: nothing to escape
        return Stack.of(element).getLogicalId(element);
    }
}
