package io.capstan.predict.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.predict.capture.TrafficCapture;
import io.capstan.predict.function.PredictFunction;
import io.capstan.predict.input.InputLimits;
import io.capstan.predict.testutils.InMemoryModelResolver;
import io.capstan.predict.testutils.PredictFixture;
import io.capstan.predict.testutils.Requests;
import io.capstan.predict.testutils.TrainedModel;
import io.capstan.predict.testutils.TrainedModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The predict function in process (an {@code HttpRequest} in, an {@code HttpResponse} out: route, resolve, cached
 * session, JSON parse, ONNX Runtime, JSON write) beside raw ONNX Runtime on the same model and rows: the 30-feature
 * breast-cancer logistic regression, batches of 1, 100 and 1000 rows. Raw ONNX Runtime gets the rows in a direct
 * {@code FloatBuffer}: once with the tensor reused (the floor) and once creating the tensor per call, as the
 * function must. The Open Inference Protocol request goes as JSON and as binary data (inputs and outputs, as
 * tritonclient.http sends numpy arrays with {@code binary_data=True}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PredictBenchmark {
    private static final String MODEL = "breast-cancer";

    @Param({"1", "100", "1000"})
    int batch;

    private PredictFixture fixture;
    private PredictFunction function;
    private HttpRequest invocations;
    private HttpRequest infer;
    private HttpRequest inferBinary;
    private OrtEnvironment environment;
    private OrtSession session;
    private FloatBuffer rows;
    private OnnxTensor reusedTensor;
    private String inputName;
    private int width;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        TrainedModel model = TrainedModels.breastCancer();
        TrainedModel repeated = model.cycledTo(batch);
        environment = OrtEnvironment.getEnvironment();
        fixture = new PredictFixture(new InMemoryModelResolver().register(MODEL, 1, model), InputLimits.defaults(),
                TrafficCapture.off());
        function = fixture.function;
        invocations = Requests.post("/models/" + MODEL + "/invocations", Requests.dataframeSplit(repeated, batch));
        infer = Requests.post("/v2/models/" + MODEL + "/infer",
                Requests.text(Requests.inferFullTensor(repeated, batch)));
        inferBinary = Requests.binaryInfer("/v2/models/" + MODEL + "/infer", Requests.inferFullTensor(repeated, batch),
                true);
        check(function.apply(invocations));
        check(function.apply(infer));
        check(function.apply(inferBinary));

        inputName = model.card().inputTensor();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = environment.createSession(model.onnx(), options);
        }
        width = model.card().features().size();
        rows = ByteBuffer.allocateDirect(batch * width * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int r = 0; r < batch; r++) {
            rows.put(repeated.rowInCardOrder(r));
        }
        rows.rewind();
        reusedTensor = OnnxTensor.createTensor(environment, rows, new long[]{batch, width});
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        reusedTensor.close();
        session.close();
        fixture.close();
    }

    @Benchmark
    public HttpResponse handlerMlflowDataframeSplit() {
        return function.apply(invocations);
    }

    @Benchmark
    public HttpResponse handlerOipInfer() {
        return function.apply(infer);
    }

    @Benchmark
    public HttpResponse handlerOipInferBinary() {
        return function.apply(inferBinary);
    }

    @Benchmark
    public float[] rawOrtReusedTensor() throws OrtException {
        try (OrtSession.Result result = session.run(Map.of(inputName, reusedTensor))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
    }

    @Benchmark
    public float[] rawOrtTensorPerCall() throws OrtException {
        rows.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, rows, new long[]{batch, width});
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().array();
        }
    }

    private static void check(HttpResponse response) {
        if (response.status() != 200) {
            throw new IllegalStateException(response.bodyAsString());
        }
    }
}
