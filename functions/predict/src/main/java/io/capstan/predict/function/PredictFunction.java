package io.capstan.predict.function;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationHandler;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import io.capstan.http.RouteTable.RouteMatch;
import io.capstan.predict.ModelReference;
import io.capstan.predict.ModelResolver;
import io.capstan.predict.ResolvedModel;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.input.DirectBufferPool;
import io.capstan.predict.input.FeatureMatrices;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.input.MlflowScoringReader;
import io.capstan.predict.input.OipInferReader;
import io.capstan.predict.onnx.OnnxSessionCache;
import io.capstan.predict.onnx.SessionSettings;
import io.capstan.predict.tensor.TensorScoring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The predict function: online prediction on ONNX Runtime over the MLflow scoring protocol and the Open Inference
 * Protocol v2, as a plain {@code Function<HttpRequest, HttpResponse>} hosted by the Lambda entry point and by the local
 * gateway. It dispatches on the operation name of the matched route, as every Capstan function does; the routes are
 * the predict routes of the shared route table.
 *
 * <p>Every scored batch is handed to a {@link TrafficCapture} (sketches of the traffic for drift checks; off unless
 * given). After each request the function lets the capture flush if a flush is due: on Lambda there is no thread
 * between invocations, so the request that finds the flush interval elapsed pays for it, after its answer is built.
 */
public final class PredictFunction implements Function<HttpRequest, HttpResponse> {
    /** The response header naming the model version that answered. */
    public static final String MODEL_VERSION_HEADER = PredictResponses.MODEL_VERSION_HEADER;
    /** The request header passed to the {@link ModelResolver} as routing key. */
    public static final String ROUTING_KEY_HEADER = ModelLookup.ROUTING_KEY_HEADER;
    private static final System.Logger LOG = System.getLogger(PredictFunction.class.getName());
    private static final int IDLE_BUFFERS = 4;

    private final RouteTable table;
    private final Map<String, Operation> operations;
    private final Map<String, Operation> primingOperations;
    private final ModelResolver resolver;
    private final ModelLookup lookup;
    private final TrafficCapture capture;

    private record Operation(Protocol protocol, OperationHandler handler) {
    }

    /**
     * A function with the default limits ({@value InputLimits#DEFAULT_MAX_ROWS} rows, {@value
     * InputLimits#DEFAULT_MAX_ELEMENTS} values per request).
     */
    public PredictFunction(ModelResolver resolver, OnnxSessionCache sessions, List<Route> routes) {
        this(resolver, sessions, routes, InputLimits.defaults());
    }

    /**
     * @param routes the predict routes of the route table; each must carry one of {@link PredictOperations#ALL}
     * @throws IllegalArgumentException when {@code routes} is empty or names an operation this function lacks
     */
    public PredictFunction(ModelResolver resolver, OnnxSessionCache sessions, List<Route> routes, InputLimits limits) {
        this(resolver, sessions, routes, limits, TrafficCapture.off());
    }

    /**
     * @param capture what to do with the scored rows: {@link TrafficCapture#off()} or a sketch capture
     * @throws IllegalArgumentException when {@code routes} is empty or names an operation this function lacks
     */
    public PredictFunction(ModelResolver resolver, OnnxSessionCache sessions, List<Route> routes, InputLimits limits,
                           TrafficCapture capture) {
        this.resolver = resolver;
        this.lookup = new ModelLookup(resolver, sessions);
        this.table = RouteTable.of(routes);
        this.capture = Objects.requireNonNull(capture, "capture");
        FeatureMatrices matrices = new FeatureMatrices(new DirectBufferPool(IDLE_BUFFERS), limits);
        this.operations = operations(lookup, matrices, capture);
        // priming's synthetic rows are no traffic: they go through the same code with nothing captured
        this.primingOperations = operations(lookup, matrices, TrafficCapture.off());
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("no predict routes: pass the route table's predict routes");
        }
        for (Route route : routes) {
            if (!operations.containsKey(route.operation())) {
                throw new IllegalArgumentException("route " + route.routeKey() + " names operation '"
                        + route.operation() + "', which the predict function lacks; it has " + operations.keySet());
            }
        }
    }

    /** A function with one session cache of default settings on {@code environment}, capturing nothing. */
    public static PredictFunction create(OrtEnvironment environment, ModelResolver resolver, List<Route> routes) {
        return create(environment, resolver, routes, TrafficCapture.off());
    }

    /** A function with one session cache of default settings on {@code environment}, capturing into {@code capture}. */
    public static PredictFunction create(OrtEnvironment environment, ModelResolver resolver, List<Route> routes,
                                         TrafficCapture capture) {
        return new PredictFunction(resolver, new OnnxSessionCache(environment, SessionSettings.defaults()), routes,
                InputLimits.defaults(), capture);
    }

    private static Map<String, Operation> operations(ModelLookup lookup, FeatureMatrices matrices,
                                                     TrafficCapture capture) {
        Map<String, Operation> all = new HashMap<>();
        TensorScoring tensors = new TensorScoring(matrices.limits().maxElements());
        all.put(PredictOperations.INVOCATIONS, new Operation(Protocol.MLFLOW,
                new ScoringHandler(lookup, new MlflowScoringReader(matrices), tensors, capture)));
        new InferenceHandlers(lookup, new OipInferReader(matrices), tensors, capture).handlers()
                .forEach((name, handler) -> all.put(name, new Operation(Protocol.OPEN_INFERENCE, handler)));
        return Map.copyOf(all);
    }

    /** The traffic capture this function records into. */
    public TrafficCapture capture() {
        return capture;
    }

    /** The operations this function implements, for the test that walks the route table. */
    public Set<String> operations() {
        return operations.keySet();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        HttpResponse response = answer(request);
        try {
            capture.flushIfDue();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "flushing captured traffic failed; the answer is unaffected", e);
        }
        return response;
    }

    private HttpResponse answer(HttpRequest request) {
        Optional<RouteMatch> match = table.match(request.method(), request.path());
        if (match.isEmpty()) {
            return Protocol.ofPath(request.path()).error(new CapstanException(ErrorCode.ENDPOINT_NOT_FOUND,
                    "No API endpoint " + request.method() + " " + request.path() + "."));
        }
        Operation operation = operations.get(match.get().route().operation());
        try {
            return operation.handler().handle(request, match.get().pathParameters());
        } catch (CapstanException e) {
            return operation.protocol().error(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure for " + request.method() + " " + request.path(), e);
            return operation.protocol().error(new CapstanException(ErrorCode.INTERNAL_ERROR,
                    "Internal error while handling " + request.method() + " " + request.path() + "."));
        }
    }

    /**
     * Loads the models the resolver names as hot and runs one inference on each through both protocols (JSON reading,
     * ONNX Runtime and JSON writing), so that a SnapStart snapshot holds loaded sessions and warmed code. The capture
     * reads each one's reference profile; the synthetic rows are not captured.
     */
    public List<PrimeOutcome> prime() {
        List<PrimeOutcome> outcomes = new ArrayList<>();
        for (ModelReference reference : resolver.hotModels()) {
            outcomes.add(prime(reference));
        }
        return outcomes;
    }

    private PrimeOutcome prime(ModelReference reference) {
        long started = System.nanoTime();
        try {
            ResolvedModel resolved = lookup.resolve(reference, Optional.empty());
            if (!resolved.isTabular()) {
                // a model served as named tensors is loaded; a synthetic request would need its inputs' meaning
                lookup.load(resolved).close();
                return new PrimeOutcome.Primed(reference, resolved.version(),
                        Duration.ofNanos(System.nanoTime() - started));
            }
            capture.prepare(resolved);
            Map<String, String> path = Map.of("name", reference.toPathSegment());
            for (String operation : List.of(PredictOperations.INVOCATIONS, PredictOperations.MODEL_INFER)) {
                HttpRequest request = PrimingRequests.zeroRow(operation, reference, resolved.card());
                HttpResponse response = primingOperations.get(operation).handler().handle(request, path);
                if (response.status() != 200) {
                    return new PrimeOutcome.Failed(reference, operation + " answered " + response.status() + ": "
                            + response.bodyAsString());
                }
            }
            return new PrimeOutcome.Primed(reference, resolved.version(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (CapstanException e) {
            return new PrimeOutcome.Failed(reference, e.getMessage());
        }
    }
}
