package io.capstan.infra.encryption;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * An SNS topic encrypted with its stack's key and refusing every request not made over TLS. CDK names it;
 * subscribers find its ARN in the stack's outputs. Its topic policy holds the TLS deny and, through
 * {@link #allowServiceToPublish}, the AWS services that publish as themselves; roles of the account publish through
 * their own IAM policies ({@code grantPublish}).
 */
public final class EncryptedTopic extends Construct {

    private final Topic topic;

    public EncryptedTopic(Construct scope, String id, String displayName, StackKey key) {
        super(scope, id);
        this.topic = Topic.Builder.create(this, "Topic")
                .displayName(Objects.requireNonNull(displayName, "displayName"))
                .masterKey(key.key())
                .enforceSsl(true)
                .build();
    }

    public ITopic topic() {
        return topic;
    }

    /**
     * Lets an AWS service that publishes as itself, not through a role of this account, publish to this topic, for
     * its resources in this account only: {@code aws:SourceAccount} is the account and {@code aws:SourceArn} matches
     * {@code sourceArnPattern} (the confused-deputy guard AWS documents for service principals). The topic policy
     * CDK writes for the TLS deny replaces SNS's default policy, so without this the service is refused.
     *
     * @param servicePrincipal e.g. {@code cloudwatch.amazonaws.com}
     * @param sourceArnPattern e.g. {@code arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*}
     */
    public void allowServiceToPublish(String servicePrincipal, String sourceArnPattern) {
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowPublishFrom" + servicePrincipal.replaceAll("[^A-Za-z0-9]", ""))
                .principals(List.of(new ServicePrincipal(servicePrincipal)))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                        "ArnLike", Map.of("aws:SourceArn", sourceArnPattern)))
                .build());
    }
}
