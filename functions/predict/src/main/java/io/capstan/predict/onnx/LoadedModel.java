package io.capstan.predict.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.predict.input.FeatureColumns;
import io.capstan.predict.input.FeatureMatrix;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model version loaded into an ONNX Runtime session. Requests hold it through a {@link Lease}; a model that the
 * cache replaces or evicts closes its session when the last lease ends, so a request never runs on a closed session.
 */
public final class LoadedModel {
    private static final System.Logger LOG = System.getLogger(LoadedModel.class.getName());
    private static final int CLOSED = -1;

    private final String name;
    private final String version;
    private final String sha256;
    private final ModelCard card;
    private final FeatureColumns columns;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Set<String> outputs;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;
    private volatile long lastUsed;

    LoadedModel(String name, String version, String sha256, ModelCard card, OrtEnvironment environment,
                OrtSession session) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.card = card;
        this.columns = FeatureColumns.of(card);
        this.environment = environment;
        this.session = session;
        this.outputs = Set.of(card.outputTensor());
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public ModelCard card() {
        return card;
    }

    public FeatureColumns columns() {
        return columns;
    }

    /**
     * Runs the model on {@code features}: the direct buffer goes to ONNX Runtime as is.
     *
     * @throws CapstanException {@code INTERNAL_ERROR} when ONNX Runtime fails or answers in an unexpected shape
     */
    public Scores score(FeatureMatrix features) {
        int rows = features.rows();
        int labels = card.outputLabels().size();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, features.values(),
                new long[]{rows, features.width()});
             OrtSession.Result result = session.run(Map.of(card.inputTensor(), input), outputs)) {
            OnnxValue output = result.get(0);
            if (!(output instanceof OnnxTensor tensor)) {
                throw failure("its output '" + card.outputTensor() + "' is not a tensor", null);
            }
            FloatBuffer values = tensor.getFloatBuffer();
            if (values.remaining() != rows * labels) {
                throw failure("it answered " + values.remaining() + " values for " + rows + " rows of " + labels
                        + " labels", null);
            }
            float[] probabilities = values.hasArray() && values.arrayOffset() == 0 && values.array().length
                    == rows * labels ? values.array() : copy(values);
            return new Scores(rows, labels, probabilities);
        } catch (OrtException e) {
            throw failure("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /** A lease on this model, or null when it has been closed (the caller looks it up again). */
    Lease tryLease(long tick) {
        while (true) {
            int current = leases.get();
            if (current == CLOSED) {
                return null;
            }
            if (leases.compareAndSet(current, current + 1)) {
                lastUsed = tick;
                return new Lease();
            }
        }
    }

    /** Whether the session has been closed (the model was retired and its last lease ended). */
    boolean isClosed() {
        return leases.get() == CLOSED;
    }

    long lastUsed() {
        return lastUsed;
    }

    /** Closes the session now if idle, otherwise when its last lease ends. */
    void retire() {
        retired = true;
        closeIfIdle();
    }

    private void closeIfIdle() {
        if (retired && leases.compareAndSet(0, CLOSED)) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the session of {0} version {1} failed: {2}", name,
                        version, e.getMessage());
            }
        }
    }

    private CapstanException failure(String what, Throwable cause) {
        return new CapstanException(ErrorCode.INTERNAL_ERROR, "Model '" + name + "' version " + version
                + " could not be run: " + what + ".", cause);
    }

    private static float[] copy(FloatBuffer values) {
        float[] copy = new float[values.remaining()];
        values.get(copy);
        return copy;
    }

    /** A request's hold on a loaded model; closing it lets a retired model close its session. */
    public final class Lease implements AutoCloseable {
        private boolean released;

        private Lease() {
        }

        public LoadedModel model() {
            return LoadedModel.this;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                if (leases.decrementAndGet() == 0) {
                    closeIfIdle();
                }
            }
        }
    }
}
