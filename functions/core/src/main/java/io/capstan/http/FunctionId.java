package io.capstan.http;

/**
 * The Capstan functions a route can lead to. Each becomes one Lambda function in AWS and one in-process
 * function in the local gateway.
 */
public enum FunctionId {
    /** MLflow tracking: experiments, runs, metrics, params, tags, datasets, artifacts. */
    TRACKING("tracking", "io.capstan.tracking.lambda.TrackingLambdaHandler::handleRequest"),
    /** MLflow model registry, and Capstan's provenance, audit, promotion, rollback and traffic policy. */
    REGISTRY("registry", "io.capstan.registry.lambda.RegistryLambdaHandler::handleRequest"),
    /** Online prediction: MLflow's scoring protocol and the Open Inference Protocol v2 on ONNX Runtime. */
    PREDICT("predict", "io.capstan.predict.lambda.PredictLambdaHandler::handleRequest"),
    /** The retraining pipeline's API: start, list and read executions, decide approvals. */
    PIPELINE("pipeline", "io.capstan.pipeline.lambda.PipelineLambdaHandler::handleRequest"),
    /** Drift checks: on demand over HTTP and on the EventBridge schedule (the same Lambda function), reports. */
    DRIFT("drift", "io.capstan.drift.lambda.DriftLambdaHandler::handleRequest"),
    /**
     * Model quality: ground truth for prediction ids, quality checks per version and champion-challenger verdicts,
     * reports.
     */
    QUALITY("quality", "io.capstan.quality.lambda.QualityLambdaHandler::handleRequest"),
    /** Batch predictions: start a job on the batch state machine, list a model's jobs, read one's progress. */
    BATCH("batch", "io.capstan.batch.lambda.BatchLambdaHandler::handleRequest"),
    /**
     * The web console's files (pages, scripts, styles): no data, so its routes are open; the page reads the APIs with
     * the viewer's own token.
     */
    CONSOLE("console", "io.capstan.console.lambda.ConsoleLambdaHandler::handleRequest");

    /**
     * The environment variable naming the alias a function is invoked through, for a function that invokes itself
     * (the registry, for background registration); the function's own name is Lambda's {@code AWS_LAMBDA_FUNCTION_NAME}.
     */
    public static final String ALIAS_ENV = "CAPSTAN_FUNCTION_ALIAS";

    private final String id;
    private final String lambdaHandler;

    FunctionId(String id, String lambdaHandler) {
        this.id = id;
        this.lambdaHandler = lambdaHandler;
    }

    /** Short lower-case name, used in construct ids and jar names. */
    public String id() {
        return id;
    }

    /**
     * Whether the function's routes are served without authorization: only the console's, whose files hold no data.
     */
    public boolean open() {
        return this == CONSOLE;
    }

    /** The Lambda handler string ({@code class::method}) of the function's entry point. */
    public String lambdaHandler() {
        return lambdaHandler;
    }
}
