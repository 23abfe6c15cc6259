package io.capstan.lambda;

import java.util.Map;

/** Reading a function's configuration from the environment CDK sets, once, at the entry point. */
public final class LambdaEnvironment {
    private LambdaEnvironment() {
    }

    /**
     * The value of a variable the CDK stacks always set.
     *
     * @throws IllegalStateException naming the variable when it is missing or blank
     */
    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set; the CDK stacks set it on"
                    + " every function that needs it.");
        }
        return value;
    }
}
