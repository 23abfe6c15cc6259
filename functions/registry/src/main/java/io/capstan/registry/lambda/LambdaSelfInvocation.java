package io.capstan.registry.lambda;

import io.capstan.registry.RegistrationQueue;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;

/**
 * Hands a registration to this function itself: an asynchronous invocation ({@code Event}) of the same function and
 * alias, carrying a {@link RegistrationEvent}. Lambda queues it, runs it within the function's timeout, and retries it
 * twice on an error; completing a version twice changes nothing.
 */
final class LambdaSelfInvocation implements RegistrationQueue {
    private final LambdaClient lambda;
    private final String functionName;
    private final String qualifier;

    /**
     * @param functionName this function's name ({@code AWS_LAMBDA_FUNCTION_NAME})
     * @param qualifier    the alias clients invoke, so the registration runs the same published version
     */
    LambdaSelfInvocation(LambdaClient lambda, String functionName, String qualifier) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.functionName = Objects.requireNonNull(functionName, "functionName");
        this.qualifier = Objects.requireNonNull(qualifier, "qualifier");
    }

    @Override
    public void submit(String name, long version) {
        byte[] payload = new RegistrationEvent(name, version).toJson();
        lambda.invoke(b -> b.functionName(functionName).qualifier(qualifier).invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromByteArray(payload)));
    }
}
