package io.capstan.predict.function;

import java.util.List;

/**
 * The operation names the predict function's routes carry in the shared route table. MLflow's scoring endpoint is
 * {@code Invocations}; the Open Inference Protocol ones take the names of the protocol's gRPC methods.
 */
public final class PredictOperations {
    /** {@code POST /models/{name}/invocations}: the MLflow scoring protocol. */
    public static final String INVOCATIONS = "Invocations";
    /** {@code POST /v2/models/{name}[/versions/{version}]/infer}. */
    public static final String MODEL_INFER = "ModelInfer";
    /** {@code GET /v2/models/{name}[/versions/{version}]}. */
    public static final String MODEL_METADATA = "ModelMetadata";
    /** {@code GET /v2/models/{name}[/versions/{version}]/ready}. */
    public static final String MODEL_READY = "ModelReady";
    /** {@code GET /v2/health/live}. */
    public static final String SERVER_LIVE = "ServerLive";
    /** {@code GET /v2/health/ready}. */
    public static final String SERVER_READY = "ServerReady";
    /** {@code GET /v2}. */
    public static final String SERVER_METADATA = "ServerMetadata";

    /** Every operation the predict function serves. */
    public static final List<String> ALL = List.of(INVOCATIONS, MODEL_INFER, MODEL_METADATA, MODEL_READY,
            SERVER_LIVE, SERVER_READY, SERVER_METADATA);

    private PredictOperations() {
    }
}
