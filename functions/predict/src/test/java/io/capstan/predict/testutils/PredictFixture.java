package io.capstan.predict.testutils;

import ai.onnxruntime.OrtEnvironment;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.onnx.OnnxSessionCache;
import io.capstan.predict.onnx.SessionSettings;

/**
 * A predict function on real ONNX Runtime with an in-memory registry, the one such fixture: by default the trained
 * models, {@value #BREAST_CANCER} versions 1 (champion) and 2 (alias {@code challenger}, canary for routing key
 * {@value #CANARY_KEY}) and {@value #IRIS} version 1; or any registry ({@link ConvertedModelsFixture} serves the
 * converter fixtures through one). Closing it closes its sessions.
 */
public final class PredictFixture implements AutoCloseable {
    public static final String BREAST_CANCER = "breast-cancer";
    public static final String IRIS = "iris";
    public static final String CANARY_KEY = "user-7";

    public final InMemoryModelResolver resolver;
    public final OnnxSessionCache sessions = new OnnxSessionCache(OrtEnvironment.getEnvironment(),
            SessionSettings.defaults());
    public final PredictFunction function;

    public PredictFixture() {
        this(InputLimits.defaults());
    }

    public PredictFixture(InputLimits limits) {
        this(new InMemoryModelResolver()
                .register(BREAST_CANCER, 1, TrainedModels.breastCancer())
                .register(BREAST_CANCER, 2, TrainedModels.breastCancer())
                .alias(BREAST_CANCER, "challenger", 2)
                .canary(BREAST_CANCER, CANARY_KEY, 2)
                .register(IRIS, 1, TrainedModels.iris()), limits, TrafficCapture.off());
    }

    public PredictFixture(InMemoryModelResolver resolver, InputLimits limits, TrafficCapture capture) {
        this.resolver = resolver;
        this.function = new PredictFunction(resolver, sessions, PredictRoutes.routes(), limits, capture);
    }

    public HttpResponse call(HttpRequest request) {
        return function.apply(request);
    }

    @Override
    public void close() {
        sessions.close();
    }
}
