package io.capstan.infra.api;

/**
 * How large a request the deployed APIs pass to a function, and what MLflow clients must set to stay below it. Both
 * APIs invoke Lambda synchronously, whose request payload is at most {@value #LAMBDA_PAYLOAD_BYTES} bytes; an
 * artifact's bytes arrive base64-encoded in the API Gateway event (a third larger), beside the headers and request
 * context. MLflow's client uploads an artifact below {@value #MLFLOW_MULTIPART_MINIMUM_FILE_SIZE_ENV} (500 MB unless
 * set) in one {@code PUT} through the API, and a larger one, when {@value #MLFLOW_PROXY_MULTIPART_ENV} is true, in
 * parts that go straight to S3 through presigned URLs. So clients must set both: README.md ("Deploying to AWS") and
 * docs/DEPLOY.md say so with these values, and a test holds the documents, this class and the payload limit together.
 */
public final class ApiPayloadLimits {

    /** Lambda's limit on a synchronous invocation's request (and response) payload: 6 MB, in bytes. */
    public static final int LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;
    /** What an API Gateway event carries besides the body at most (headers, request context, path), in bytes. */
    public static final int EVENT_ENVELOPE_BYTES = 64 * 1024;
    /** MLflow's switch for multipart uploads through the tracking server's presigned URLs. */
    public static final String MLFLOW_PROXY_MULTIPART_ENV = "MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD";
    /** MLflow's threshold: files of at least this many bytes are uploaded in parts (default 500 MB). */
    public static final String MLFLOW_MULTIPART_MINIMUM_FILE_SIZE_ENV = "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE";
    /** MLflow's part size (default 100 MB); every part but the last must be at least {@value #S3_MIN_PART_BYTES}. */
    public static final String MLFLOW_MULTIPART_CHUNK_SIZE_ENV = "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE";
    /**
     * The threshold Capstan's clients must set, 4 MiB: the largest single upload, one byte less, still fits a
     * Lambda payload once base64-encoded. S3's 5 MiB would not (a 5 MiB body is 7 MB in base64); a file between the
     * threshold and the part size is uploaded as one part, which S3 accepts at any size because it is the last.
     */
    public static final long MLFLOW_MULTIPART_MINIMUM_FILE_SIZE = 4L * 1024 * 1024;
    /** S3's smallest part of a multipart upload, but for the last part, in bytes. */
    public static final long S3_MIN_PART_BYTES = 5L * 1024 * 1024;

    private ApiPayloadLimits() {
    }

    /** The size of an API Gateway event carrying a binary body of {@code bodyBytes}: base64, plus the envelope. */
    public static long eventBytes(long bodyBytes) {
        return 4 * ((bodyBytes + 2) / 3) + EVENT_ENVELOPE_BYTES;
    }
}
