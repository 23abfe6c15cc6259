package io.capstan.predict.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ModelCard;
import io.capstan.model.OnnxGraph;
import io.capstan.model.ServingManifest;
import io.capstan.predict.input.FeatureColumns;
import io.capstan.predict.input.FeatureMatrix;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model version loaded into an ONNX Runtime session. Requests hold it through a {@link Lease}; a model that the
 * cache replaces or evicts closes its session when the last lease ends, so a request never runs on a closed session.
 * A tabular model (one with a card) is scored from a {@link FeatureMatrix}; any model runs on named tensors.
 */
public final class LoadedModel {
    private static final System.Logger LOG = System.getLogger(LoadedModel.class.getName());
    private static final int CLOSED = -1;

    private final String name;
    private final String version;
    private final String sha256;
    private final ServingManifest manifest;
    private final OnnxGraph graph;
    private final FeatureColumns columns;
    private final TabularScores tabular;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Set<String> tabularOutputs;
    private final AtomicInteger leases = new AtomicInteger();
    private volatile boolean retired;
    private volatile long lastUsed;

    LoadedModel(String name, String version, String sha256, ServingManifest manifest, OnnxGraph graph,
                OrtEnvironment environment, OrtSession session) {
        this.name = name;
        this.version = version;
        this.sha256 = sha256;
        this.manifest = manifest;
        this.graph = graph;
        this.environment = environment;
        this.session = session;
        ModelCard card = manifest.card();
        if (card == null) {
            this.columns = null;
            this.tabular = null;
            this.tabularOutputs = Set.of();
        } else {
            boolean mlflow = manifest.flavor().answersAsMlflow();
            this.columns = FeatureColumns.of(card, mlflow);
            this.tabular = new TabularScores(card, this::failure);
            Set<String> outputs = new LinkedHashSet<>();
            if (mlflow) {
                outputs.addAll(graph.outputNames());
            } else {
                outputs.add(card.outputTensor());
                if (card.labelOutput() != null) {
                    outputs.add(card.labelOutput());
                }
            }
            this.tabularOutputs = java.util.Collections.unmodifiableSet(outputs);
        }
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

    public ServingManifest manifest() {
        return manifest;
    }

    /** The graph's inputs and outputs as the loaded session declares them, in graph order. */
    public OnnxGraph graph() {
        return graph;
    }

    /** Whether the model is served on the tabular path (it has a card). */
    public boolean isTabular() {
        return columns != null;
    }

    /**
     * The model's card.
     *
     * @throws IllegalStateException when the model has none ({@link #isTabular()} is false)
     */
    public ModelCard card() {
        requireTabular();
        return manifest.card();
    }

    /**
     * The card's columns, with the reading rules of the model's flavor.
     *
     * @throws IllegalStateException when the model has no card
     */
    public FeatureColumns columns() {
        requireTabular();
        return columns;
    }

    /** The environment the session lives in, for creating input tensors. */
    public OrtEnvironment environment() {
        return environment;
    }

    /**
     * Runs a tabular model on {@code features}: the direct buffer goes to ONNX Runtime as is. A model of Capstan's
     * flavor answers the card's outputs; an MLflow-flavored one answers every graph output, in graph order.
     *
     * @throws CapstanException {@code INTERNAL_ERROR} when ONNX Runtime fails or answers in a shape the card does not
     *                          describe
     */
    public Scored score(FeatureMatrix features) {
        requireTabular();
        ModelCard card = manifest.card();
        try (OnnxTensor input = OnnxTensor.createTensor(environment, features.data(),
                new long[]{features.rows(), features.width()}, javaType(features.type()))) {
            ModelOutputs outputs = run(Map.of(card.inputTensor(), input), tabularOutputs);
            return new Scored(outputs, tabular.scores(outputs, features.rows()));
        } catch (OrtException e) {
            throw failure("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on named tensors and answers every graph output, in graph order.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when ONNX Runtime refuses the inputs (it names them)
     */
    public ModelOutputs run(Map<String, OnnxTensor> inputs) {
        try {
            return run(inputs, new LinkedHashSet<>(graph.outputNames()));
        } catch (OrtException e) {
            throw CapstanException.invalidParameter("Model '" + name + "' version " + version + " cannot run on"
                    + " these inputs: " + e.getMessage());
        }
    }

    private ModelOutputs run(Map<String, OnnxTensor> inputs, Set<String> outputs) throws OrtException {
        try (OrtSession.Result result = session.run(inputs, outputs)) {
            return ModelOutputs.decode(result);
        }
    }

    /**
     * A tabular run: the raw outputs and the card's reading of them.
     *
     * @param outputs the outputs the run answered
     * @param scores  probabilities in the card's label order and the predicted label (classification); rows only
     *                (regression)
     */
    public record Scored(ModelOutputs outputs, Scores scores) {
    }

    private static ai.onnxruntime.OnnxJavaType javaType(ModelCard.TensorType type) {
        return switch (type) {
            case FLOAT -> ai.onnxruntime.OnnxJavaType.FLOAT;
            case DOUBLE -> ai.onnxruntime.OnnxJavaType.DOUBLE;
            case INT64 -> ai.onnxruntime.OnnxJavaType.INT64;
        };
    }

    private void requireTabular() {
        if (columns == null) {
            throw new IllegalStateException("model '" + name + "' version " + version + " has no card");
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
