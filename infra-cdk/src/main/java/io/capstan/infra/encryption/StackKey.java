package io.capstan.infra.encryption;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A stack's customer-managed KMS key (rotated yearly) for what that stack encrypts beyond S3 and DynamoDB: its SNS
 * topics and its log groups. One key per stack keeps key policies inside the stack that uses them (no cross-stack
 * edits, no cycles) at USD 1 a month each. The key policy lets the account's IAM policies grant use of the key
 * (CDK's default) and, through {@link #encryptedLogGroup} and {@link #allowServiceToSendEncrypted}, the AWS
 * services that write encrypted data on the stack's behalf.
 */
public final class StackKey extends Construct {

    /** How long the key waits before it is deleted once its stack is. */
    private static final int PENDING_WINDOW_DAYS = 30;

    private final Key key;
    private boolean logsAllowed;

    public StackKey(Construct scope, String id, String description) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description(Objects.requireNonNull(description, "description"))
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(PENDING_WINDOW_DAYS))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    public IKey key() {
        return key;
    }

    /**
     * A log group encrypted with this key, kept {@code retention}. CloudWatch Logs encrypts with the key as the
     * regional logs service principal, for log groups of this account and region only.
     */
    public LogGroup encryptedLogGroup(Construct scope, String id, RetentionDays retention) {
        if (!logsAllowed) {
            key.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("CloudWatchLogsEncryptsLogGroupsOfThisAccount")
                    .principals(List.of(new ServicePrincipal("logs." + Aws.REGION + ".amazonaws.com")))
                    .actions(List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                            "kms:Describe*"))
                    .resources(List.of("*"))
                    .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                            "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:*")))
                    .build());
            logsAllowed = true;
        }
        return LogGroup.Builder.create(scope, id)
                .encryptionKey(key)
                .retention(retention)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    /**
     * Lets an AWS service that publishes as itself, not through a role of this account (CloudWatch alarms,
     * {@code cloudwatch.amazonaws.com}), use the key to send to a topic encrypted with it. Which topics it may send
     * to is the topics' business: this only lets it encrypt.
     */
    public void allowServiceToSendEncrypted(String servicePrincipal) {
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowEncryptedSendsFrom" + servicePrincipal.replaceAll("[^A-Za-z0-9]", ""))
                .principals(List.of(new ServicePrincipal(servicePrincipal)))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
    }
}
