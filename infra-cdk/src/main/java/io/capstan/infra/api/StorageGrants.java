package io.capstan.infra.api;

import io.capstan.infra.api.FunctionAccess.BucketAccess;
import io.capstan.infra.storage.StorageResources;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.IConstruct;

/**
 * Applies a {@link FunctionAccess} to a role through CDK's {@code grant*} methods, and records, on that role
 * only, why the wildcards those grants produce are acceptable (cdk-nag AwsSolutions-IAM5). Each suppression
 * names the exact wildcard actions and the exact bucket or table, so a wildcard nobody reviewed still fails.
 */
final class StorageGrants {

    private static final List<String> READ_WILDCARDS = List.of("s3:GetObject*", "s3:GetBucket*", "s3:List*");
    private static final List<String> WRITE_WILDCARDS = List.of("s3:DeleteObject*", "s3:Abort*");

    private StorageGrants() {
    }

    static void grant(FunctionAccess access, IRole role, StorageResources storage) {
        List<Object> reviewed = new ArrayList<>();
        ITable table = storage.table();
        switch (access.table()) {
            case READ -> table.grantReadData(role);
            case READ_WRITE -> table.grantReadWriteData(role);
            case NONE -> { }
        }
        if (access.table() != FunctionAccess.TableAccess.NONE && !storage.tableDefinition().globalIndexes().isEmpty()) {
            reviewed.add(resourceUnder(table, "/index/*"));
        }
        access.buckets().forEach((definition, level) -> {
            IBucket bucket = storage.bucket(definition);
            switch (level) {
                case READ -> bucket.grantRead(role);
                // grantReadWrite includes s3:DeleteObject*: no separate grantDelete statement
                case READ_WRITE_DELETE -> bucket.grantReadWrite(role);
            }
            addActions(reviewed, READ_WILDCARDS);
            if (level == BucketAccess.READ_WRITE_DELETE) {
                addActions(reviewed, WRITE_WILDCARDS);
            }
            reviewed.add(resourceUnder(bucket, "/*"));
        });
        if (!reviewed.isEmpty()) {
            NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("Wildcards from CDK grant* calls, reviewed: object keys under a granted bucket are "
                            + "chosen at run time (run artifacts, multipart parts, presigned URLs), and the action "
                            + "wildcards (GetObject*, GetBucket*, List*, DeleteObject*, Abort*) cover versioned "
                            + "reads, multipart listing and aborting. Table index access (/index/*) is limited to "
                            + "the granted table's own GSIs.")
                    .appliesTo(reviewed)
                    .build()), true);
        }
    }

    private static void addActions(List<Object> reviewed, List<String> actions) {
        for (String action : actions) {
            String finding = "Action::" + action;
            if (!reviewed.contains(finding)) {
                reviewed.add(finding);
            }
        }
    }

    /**
     * The IAM5 finding for {@code suffix} under {@code resource}'s ARN. cdk-nag renders the ARN as
     * {@code <LogicalId.Arn>} or, across stacks, as the export name containing the logical ID, so match both.
     */
    private static RegexAppliesTo resourceUnder(IConstruct resource, String suffix) {
        IConstruct cfn = resource.getNode().getDefaultChild();
        if (!(cfn instanceof CfnElement element)) {
            throw new IllegalArgumentException(resource.getNode().getPath() + " is not a resource of this app");
        }
        String logicalId = Stack.of(element).getLogicalId(element);
        return RegexAppliesTo.builder()
                // logical IDs are alphanumeric: nothing to escape
                .regex("/^Resource::.*" + logicalId + "[^/]*" + suffix.replace("/", "\\/").replace("*", "\\*") + "$/")
                .build();
    }
}
