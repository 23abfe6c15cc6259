package io.capstan.infra.function;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.Code;

/**
 * What a {@link CapstanFunction} runs. Build with {@link #builder()}; memory defaults to
 * {@value #DEFAULT_MEMORY_MIB} MiB and the timeout to {@value #DEFAULT_TIMEOUT_SECONDS} s.
 */
public final class CapstanFunctionProps {

    public static final int DEFAULT_MEMORY_MIB = 1024;
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    private final String description;
    private final String handler;
    private final Code code;
    private final Map<String, String> environment;
    private final int memoryMib;
    private final Duration timeout;

    private CapstanFunctionProps(Builder builder) {
        this.description = builder.description;
        this.handler = builder.handler;
        this.code = builder.code;
        this.environment = Map.copyOf(builder.environment);
        this.memoryMib = builder.memoryMib;
        this.timeout = builder.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One line shown in the Lambda console. */
    public String description() {
        return description;
    }

    /** The handler string, {@code class::method}. */
    public String handler() {
        return handler;
    }

    /** The jar. */
    public Code code() {
        return code;
    }

    /** Environment variables (CDK-generated resource names, never secrets). */
    public Map<String, String> environment() {
        return environment;
    }

    /** Memory in MiB, which also sets the CPU share. */
    public int memoryMib() {
        return memoryMib;
    }

    /** Maximum duration of one invocation. */
    public Duration timeout() {
        return timeout;
    }

    public static final class Builder {
        private String description;
        private String handler;
        private Code code;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int memoryMib = DEFAULT_MEMORY_MIB;
        private Duration timeout = Duration.seconds(DEFAULT_TIMEOUT_SECONDS);

        private Builder() {
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder handler(String handler) {
            this.handler = handler;
            return this;
        }

        public Builder code(Code code) {
            this.code = code;
            return this;
        }

        public Builder environment(String name, String value) {
            this.environment.put(name, value);
            return this;
        }

        public Builder memoryMib(int memoryMib) {
            this.memoryMib = memoryMib;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @throws NullPointerException     when description, handler or code is missing
         * @throws IllegalArgumentException when memory is outside Lambda's 128..10240 MiB
         */
        public CapstanFunctionProps build() {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(timeout, "timeout");
            if (memoryMib < 128 || memoryMib > 10_240) {
                throw new IllegalArgumentException("memoryMib must be within 128..10240, was " + memoryMib);
            }
            return new CapstanFunctionProps(this);
        }
    }
}
