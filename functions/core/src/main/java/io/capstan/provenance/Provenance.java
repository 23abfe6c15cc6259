package io.capstan.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a registered model version came from, built from named parts and stored with the version: the model file,
 * the run, the datasets, the trainer, the code, the runtime and the metrics at registration time. Read leniently:
 * a key a version registered by an older release lacks reads as {@value #UNKNOWN_VALUE}, never as an error.
 *
 * @param modelSha256 SHA-256 of the ONNX file, lower-case hex
 * @param sourceRunId the run that produced the model, {@value #UNKNOWN_VALUE} when it came from elsewhere
 * @param datasets    the datasets the run logged as inputs
 * @param trainer     what trained the model and with which settings
 * @param code        the code version
 * @param runtime     the runtime that checked the model at registration
 * @param metrics     the run's metrics (current values) at registration time
 */
public record Provenance(String modelSha256, String sourceRunId, List<DatasetPart> datasets, TrainerPart trainer,
                         CodePart code, RuntimePart runtime, Map<String, Double> metrics) {

    public static final String UNKNOWN_VALUE = "unknown";
    /** Provenance of a version not yet (or never) registered. */
    public static final Provenance UNKNOWN = new Provenance(UNKNOWN_VALUE, UNKNOWN_VALUE, List.of(),
            new TrainerPart(UNKNOWN_VALUE, Map.of(), UNKNOWN_VALUE), new CodePart(UNKNOWN_VALUE, UNKNOWN_VALUE),
            new RuntimePart(UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE, UNKNOWN_VALUE), Map.of());

    public static final String MODEL_SHA256 = "model_sha256";
    public static final String SOURCE_RUN_ID = "source_run_id";
    public static final String DATASETS = "datasets";
    public static final String TRAINER = "trainer";
    public static final String CODE = "code";
    public static final String RUNTIME = "runtime";
    public static final String METRICS = "metrics";
    public static final String NAME = "name";
    public static final String DIGEST = "digest";
    public static final String SOURCE = "source";
    public static final String SOURCE_TYPE = "source_type";
    public static final String ALGORITHM = "algorithm";
    public static final String HYPERPARAMETERS = "hyperparameters";
    public static final String SEED = "seed";
    public static final String COMMIT = "commit";
    public static final String CAPSTAN_VERSION = "capstan_version";
    public static final String JAVA = "java";
    public static final String OS = "os";
    public static final String ARCHITECTURE = "architecture";
    public static final String ONNX_RUNTIME = "onnx_runtime";
    public static final String MODEL_PRODUCER = "model_producer";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public Provenance {
        modelSha256 = orUnknown(modelSha256);
        sourceRunId = orUnknown(sourceRunId);
        datasets = List.copyOf(datasets);
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(runtime, "runtime");
        metrics = Map.copyOf(metrics);
    }

    /**
     * A dataset the run used.
     *
     * @param name       dataset name
     * @param digest     content digest as the run logged it
     * @param source     where the data lives
     * @param sourceType {@code s3}, {@code local}, {@code http}, …
     */
    public record DatasetPart(String name, String digest, String source, String sourceType) {
        public DatasetPart {
            name = orUnknown(name);
            digest = orUnknown(digest);
            source = orUnknown(source);
            sourceType = orUnknown(sourceType);
        }
    }

    /**
     * @param algorithm       the trainer or algorithm ({@code logistic-regression}, a class name)
     * @param hyperparameters every hyperparameter, as the run logged its params
     * @param seed            the random seed, {@value #UNKNOWN_VALUE} when not logged
     */
    public record TrainerPart(String algorithm, Map<String, String> hyperparameters, String seed) {
        public TrainerPart {
            algorithm = orUnknown(algorithm);
            hyperparameters = Map.copyOf(hyperparameters);
            seed = orUnknown(seed);
        }
    }

    /**
     * @param commit         the source commit the run recorded ({@code mlflow.source.git.commit})
     * @param capstanVersion the Capstan release that registered the version
     */
    public record CodePart(String commit, String capstanVersion) {
        public CodePart {
            commit = orUnknown(commit);
            capstanVersion = orUnknown(capstanVersion);
        }
    }

    /**
     * @param java          Java version
     * @param os            operating system
     * @param architecture  CPU architecture
     * @param onnxRuntime   ONNX Runtime version that loaded and checked the model
     * @param modelProducer the ONNX file's producer name and version ({@code Tribuo 4.3.2})
     */
    public record RuntimePart(String java, String os, String architecture, String onnxRuntime, String modelProducer) {
        public RuntimePart {
            java = orUnknown(java);
            os = orUnknown(os);
            architecture = orUnknown(architecture);
            onnxRuntime = orUnknown(onnxRuntime);
            modelProducer = orUnknown(modelProducer);
        }
    }

    /** The provenance as a JSON object with the constant keys. */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put(MODEL_SHA256, modelSha256).put(SOURCE_RUN_ID, sourceRunId);
        var datasetArray = root.putArray(DATASETS);
        for (DatasetPart d : datasets) {
            datasetArray.addObject().put(NAME, d.name()).put(DIGEST, d.digest()).put(SOURCE, d.source())
                    .put(SOURCE_TYPE, d.sourceType());
        }
        ObjectNode trainerNode = root.putObject(TRAINER).put(ALGORITHM, trainer.algorithm()).put(SEED, trainer.seed());
        ObjectNode hyper = trainerNode.putObject(HYPERPARAMETERS);
        new TreeMap<>(trainer.hyperparameters()).forEach(hyper::put);
        root.putObject(CODE).put(COMMIT, code.commit()).put(CAPSTAN_VERSION, code.capstanVersion());
        root.putObject(RUNTIME).put(JAVA, runtime.java()).put(OS, runtime.os()).put(ARCHITECTURE, runtime.architecture())
                .put(ONNX_RUNTIME, runtime.onnxRuntime()).put(MODEL_PRODUCER, runtime.modelProducer());
        ObjectNode metricNode = root.putObject(METRICS);
        new TreeMap<>(metrics).forEach(metricNode::put);
        return root;
    }

    /** The JSON form as a string, for storage. */
    public String toJsonString() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provenance always serializes", e);
        }
    }

    /** Reads the JSON form; absent keys read as {@value #UNKNOWN_VALUE}, unknown keys are ignored. */
    public static Provenance fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("stored provenance is not JSON", e);
        }
        List<DatasetPart> datasets = new ArrayList<>();
        root.path(DATASETS).forEach(d -> datasets.add(new DatasetPart(text(d, NAME), text(d, DIGEST),
                text(d, SOURCE), text(d, SOURCE_TYPE))));
        JsonNode trainerNode = root.path(TRAINER);
        Map<String, String> hyper = new TreeMap<>();
        trainerNode.path(HYPERPARAMETERS).fields().forEachRemaining(e -> hyper.put(e.getKey(), e.getValue().asText()));
        JsonNode codeNode = root.path(CODE);
        JsonNode runtimeNode = root.path(RUNTIME);
        Map<String, Double> metrics = new TreeMap<>();
        root.path(METRICS).fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
        return new Provenance(text(root, MODEL_SHA256), text(root, SOURCE_RUN_ID), datasets,
                new TrainerPart(text(trainerNode, ALGORITHM), hyper, text(trainerNode, SEED)),
                new CodePart(text(codeNode, COMMIT), text(codeNode, CAPSTAN_VERSION)),
                new RuntimePart(text(runtimeNode, JAVA), text(runtimeNode, OS), text(runtimeNode, ARCHITECTURE),
                        text(runtimeNode, ONNX_RUNTIME), text(runtimeNode, MODEL_PRODUCER)), metrics);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? UNKNOWN_VALUE : value.asText();
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? UNKNOWN_VALUE : value;
    }
}
