package io.capstan.registry.function;

import io.capstan.http.FunctionId;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.OperationDispatcher;
import io.capstan.http.OperationHandler;
import io.capstan.http.RouteTable;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryService;
import io.capstan.store.dynamodb.SdkFailures;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry function: MLflow's model registry REST API and Capstan's serving controls (provenance, audit trail,
 * promotion, rollback, traffic policy), as a plain {@code Function<HttpRequest, HttpResponse>} hosted by the Lambda
 * entry point and by the local gateway. The caller's identity from the request becomes the actor of every audited
 * change and the user of every registered version.
 */
public final class RegistryFunction implements Function<HttpRequest, HttpResponse> {
    private final OperationDispatcher dispatcher;

    public RegistryFunction(RegistryService registry, PromotionService promotions, RouteTable routes) {
        Map<String, OperationHandler> all = new HashMap<>(new MlflowRegistryHandlers(registry, promotions).handlers());
        all.putAll(new ServingControlHandlers(registry, promotions).handlers());
        this.dispatcher = new OperationDispatcher(FunctionId.REGISTRY, routes, all, SdkFailures::translate);
    }

    /** The operations this function implements, for the test that walks the route table. */
    public Set<String> operations() {
        return dispatcher.operations();
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        return dispatcher.apply(request);
    }
}
