package io.capstan.infra.encryption;

import java.util.Objects;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * An SNS topic encrypted with its stack's key and refusing every request not made over TLS. CDK names it;
 * subscribers find its ARN in the stack's outputs.
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
}
