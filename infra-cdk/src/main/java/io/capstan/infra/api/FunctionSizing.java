package io.capstan.infra.api;

import io.capstan.http.FunctionId;
import software.amazon.awscdk.Duration;

/**
 * Memory (which also sets the CPU share) and timeout of each API function. An HTTP API waits at most 30 s for a
 * function, so functions that only answer requests stop there too. {@link #of(FunctionId)} is an exhaustive switch.
 *
 * @param memoryMib memory in MiB
 * @param timeout   the longest one invocation may run
 */
public record FunctionSizing(int memoryMib, Duration timeout) {

    /** API Gateway HTTP APIs give up on an integration after 30 seconds. */
    public static final Duration HTTP_TIMEOUT = Duration.seconds(30);

    public static FunctionSizing of(FunctionId function) {
        return switch (function) {
            case TRACKING, PIPELINE -> new FunctionSizing(1024, HTTP_TIMEOUT);
            // ONNX Runtime loads and checks every registered model; a model file is held in memory while copied. A
            // large source registers in an asynchronous invocation of the function itself, which may take as long
            // as Lambda allows (a request still ends at the HTTP API's 30 s)
            case REGISTRY -> new FunctionSizing(2048, Duration.minutes(15));
            // ONNX Runtime sessions of the served models stay cached; 2 GiB gets more than one vCPU for inference
            case PREDICT -> new FunctionSizing(2048, HTTP_TIMEOUT);
            // the EventBridge schedule checks every model in one invocation, longer than an HTTP request may take
            case DRIFT -> new FunctionSizing(2048, Duration.minutes(5));
            // DuckDB joins a window's records in 40% of this: at the size above which Athena takes over
            // (QualityQueries.DEFAULT_EMBEDDED_UP_TO_BYTES) it then needs no spill to /tmp, which SnapStart holds to
            // 512 MB and the downloaded records fill; more memory is also more vCPU for the join. A scheduled run
            // checks every model in turn (an HTTP request is cut at 30 s by API Gateway whatever this says)
            case QUALITY -> new FunctionSizing(6144, Duration.minutes(5));
            // answers from the registry and S3; the work runs in the batch state machine
            case BATCH -> new FunctionSizing(1024, HTTP_TIMEOUT);
            // answers files it holds in memory
            case CONSOLE -> new FunctionSizing(512, Duration.seconds(10));
        };
    }
}
