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

    /**
     * A whole number the CDK stacks set, or {@code fallback} when the variable is missing or blank.
     *
     * @throws IllegalStateException naming the variable when it is set but not a whole number
     */
    public static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Environment variable " + name + " must be a whole number, was '" + value
                    + "'", e);
        }
    }

    /**
     * A whole number the CDK stacks always set.
     *
     * @throws IllegalStateException naming the variable when it is missing, blank or not a whole number
     */
    public static long requiredNumber(Map<String, String> env, String name) {
        required(env, name);
        return number(env, name, 0);
    }
}
