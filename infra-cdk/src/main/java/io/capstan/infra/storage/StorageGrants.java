package io.capstan.infra.storage;

import io.capstan.infra.nag.NagFindings;
import io.capstan.infra.storage.StorageAccess.BucketGrant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Applies a {@link StorageAccess} to a role through CDK's {@code grant*} methods, and records, on that role only, why
 * the wildcards those grants produce are acceptable (cdk-nag AwsSolutions-IAM5). Each suppression names the exact
 * wildcard actions and the exact bucket, key prefix or table, so a wildcard nobody reviewed still fails.
 */
public final class StorageGrants {

    private static final List<String> READ_WILDCARDS = List.of("s3:GetObject*", "s3:GetBucket*", "s3:List*");
    private static final List<String> WRITE_WILDCARDS = List.of("s3:Abort*");
    private static final List<String> READ_WRITE_DELETE_WILDCARDS = List.of("s3:GetObject*", "s3:GetBucket*",
            "s3:List*", "s3:DeleteObject*", "s3:Abort*");

    private static final List<String> DENIED_WRITES = List.of("s3:PutObject", "s3:PutObjectAcl",
            "s3:PutObjectTagging", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:DeleteObject",
            "s3:DeleteObjectVersion", "s3:DeleteObjectTagging", "s3:AbortMultipartUpload", "s3:RestoreObject");

    private StorageGrants() {
    }

    /** Grants {@code access} to {@code role} on {@code storage}. */
    public static void grant(StorageAccess access, IRole role, StorageResources storage) {
        List<Object> reviewed = new ArrayList<>();
        ITable table = storage.table();
        switch (access.table()) {
            case READ -> table.grantReadData(role);
            case READ_WRITE -> table.grantReadWriteData(role);
            case NONE -> { }
        }
        if (access.table() != StorageAccess.TableAccess.NONE && !storage.tableDefinition().globalIndexes().isEmpty()) {
            reviewed.add(NagFindings.resourceUnder(table, "/index/*"));
        }
        for (BucketGrant grant : access.buckets()) {
            IBucket bucket = storage.bucket(grant.bucket());
            String keys = grant.objectsKeyPattern();
            List<String> wildcards = switch (grant.access()) {
                case READ -> {
                    bucket.grantRead(role, keys);
                    yield READ_WILDCARDS;
                }
                case WRITE -> {
                    bucket.grantPut(role, keys);
                    yield WRITE_WILDCARDS;
                }
                case READ_WRITE_DELETE -> {
                    // grantReadWrite includes s3:DeleteObject*: no separate grantDelete statement
                    bucket.grantReadWrite(role, keys);
                    yield READ_WRITE_DELETE_WILDCARDS;
                }
                case DENY_WRITE -> {
                    role.addToPrincipalPolicy(PolicyStatement.Builder.create().effect(Effect.DENY)
                            .actions(DENIED_WRITES).resources(List.of(bucket.arnForObjects(keys))).build());
                    yield List.of();
                }
            };
            addAll(reviewed, wildcards.stream().map(NagFindings::action).toList());
            addAll(reviewed, List.of(NagFindings.resourceUnder(bucket, "/" + keys)));
        }
        if (!reviewed.isEmpty()) {
            NagFindings.suppress(role, NagFindings.IAM5, "Wildcards from CDK grant* calls, reviewed: object keys under "
                    + "a granted bucket or key prefix are chosen at run time (run artifacts, registry copies, captured "
                    + "sketches, reports, multipart parts, presigned URLs), and the action wildcards (GetObject*, "
                    + "GetBucket*, List*, DeleteObject*, Abort*) cover versioned reads, listing and aborting multipart "
                    + "uploads. Table index access (/index/*) is limited to the granted table's own GSIs.", reviewed);
        }
    }

    private static void addAll(List<Object> reviewed, List<?> findings) {
        for (Object finding : findings) {
            if (!reviewed.contains(finding)) {
                reviewed.add(finding);
            }
        }
    }
}
