package io.capstan.error;

/**
 * Error codes, mirroring MLflow's {@code databricks_pb2.ErrorCode} names so MLflow clients recognise them,
 * each with the HTTP status MLflow's server answers for it.
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    MALFORMED_REQUEST(400),
    RESOURCE_ALREADY_EXISTS(400),
    INVALID_STATE(400),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_CONFLICT(409),
    /** Capstan's own: a request body over the gateway's limit. Not retried by MLflow clients. */
    PAYLOAD_TOO_LARGE(413),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    REQUEST_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status a response carrying this code gets. */
    public int httpStatus() {
        return httpStatus;
    }
}
