package io.capstan.predict.function;

import io.capstan.error.CapstanException;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;

/** The two protocols the function speaks, each with its one error translator. */
enum Protocol {
    /** MLflow's {@code {"error_code": "INVALID_PARAMETER_VALUE", "message": "..."}}: core's shared translator. */
    MLFLOW {
        @Override
        HttpResponse translate(CapstanException e) {
            return JsonResponses.error(e);
        }
    },
    /** The Open Inference Protocol's {@code {"error": "..."}}. */
    OPEN_INFERENCE {
        @Override
        HttpResponse translate(CapstanException e) {
            return PredictResponses.json(e.errorCode().httpStatus(), 128, json -> {
                json.writeStartObject();
                json.writeStringField("error", e.getMessage());
                json.writeEndObject();
            });
        }
    };

    private static final System.Logger LOG = System.getLogger(Protocol.class.getName());

    abstract HttpResponse translate(CapstanException e);

    /** The error response for {@code e}, with the status of its code; server-side failures are logged. */
    HttpResponse error(CapstanException e) {
        if (e.errorCode().httpStatus() >= 500) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}", e.errorCode(), e.getMessage());
        }
        return translate(e);
    }

    /** The protocol a path belongs to, for requests that match no route. */
    static Protocol ofPath(String path) {
        return path.equals("/v2") || path.startsWith("/v2/") ? OPEN_INFERENCE : MLFLOW;
    }
}
