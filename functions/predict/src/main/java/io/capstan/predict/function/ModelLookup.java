package io.capstan.predict.function;

import io.capstan.error.CapstanException;
import io.capstan.http.HttpRequest;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.input.BinaryTensors;
import io.capstan.predict.onnx.LoadedModel;
import io.capstan.predict.onnx.OnnxSessionCache;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** From a request to a loaded model: the path's model reference, the routing key, the resolver and the session cache. */
final class ModelLookup {
    /** The request header whose value the resolver uses for canary routing. */
    static final String ROUTING_KEY_HEADER = "X-Capstan-Routing-Key";

    private final ModelResolver resolver;
    private final OnnxSessionCache sessions;

    ModelLookup(ModelResolver resolver, OnnxSessionCache sessions) {
        this.resolver = resolver;
        this.sessions = sessions;
    }

    ResolvedModel resolve(HttpRequest request, Map<String, String> pathParameters) {
        return resolve(reference(pathParameters), request.header(ROUTING_KEY_HEADER).filter(k -> !k.isBlank()));
    }

    ResolvedModel resolve(ModelReference reference, Optional<String> routingKey) {
        ResolvedModel resolved = resolver.resolve(reference, routingKey);
        if (resolved == null) {
            throw new IllegalStateException("the ModelResolver answered null for " + reference);
        }
        return resolved;
    }

    LoadedModel.Lease load(ResolvedModel resolved) {
        return sessions.acquire(resolved);
    }

    static ModelReference reference(Map<String, String> pathParameters) {
        String version = pathParameters.get("version");
        String name = pathParameters.get("name");
        return version == null ? ModelReference.parse(name) : ModelReference.parse(name, version);
    }

    /**
     * An infer request's body: JSON, or, with the binary data extension's {@value BinaryTensors#HEADER}, JSON then
     * binary data, typed {@code application/octet-stream} (Triton's client) or JSON (KServe's).
     */
    static void requireInferBody(HttpRequest request) {
        if (request.header(BinaryTensors.HEADER).isPresent()) {
            Optional<String> type = request.header("content-type");
            if (type.isPresent() && type.get().split(";", 2)[0].trim().equalsIgnoreCase("application/octet-stream")) {
                return;
            }
        }
        requireJson(request);
    }

    /**
     * Refuses a body that is not JSON. A missing Content-Type is read as JSON, as MLflow's own clients always send
     * it; parameters such as {@code charset} or MLflow 1.x's {@code format=pandas-split} are accepted.
     */
    static void requireJson(HttpRequest request) {
        Optional<String> type = request.header("content-type");
        if (type.isEmpty() || type.get().isBlank()) {
            return;
        }
        String mediaType = type.get().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw CapstanException.invalidParameter("Content-Type '" + type.get() + "' is not supported; send the body"
                    + " as application/json.");
        }
    }
}
