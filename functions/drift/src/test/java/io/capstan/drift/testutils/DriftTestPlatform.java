package io.capstan.drift.testutils;

import io.capstan.drift.function.DriftServices;
import io.capstan.drift.monitoring.DriftBuckets;
import io.capstan.drift.monitoring.DriftMonitor;
import io.capstan.drift.storage.S3DriftStorage;
import io.capstan.model.OnnxGraph;
import io.capstan.model.ServingManifest;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftSummary;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import io.capstan.provenance.Provenance;
import io.capstan.provenance.Sha256;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.ModelVersionStatus;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.Servability;
import io.capstan.registry.Stage;
import io.capstan.store.dynamodb.DynamoDbDriftStore;
import io.capstan.store.dynamodb.DynamoDbRegistryStore;
import io.capstan.testing.DynamoDbLocalTable;
import io.capstan.testing.S3ProxyFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The drift check on real engines, in process: DynamoDB Local (embedded, in memory) for the registry and drift
 * summaries, S3Proxy for reference profiles, captured sketches, datasets and reports. Models are registered straight
 * into the registry store (the drift check reads the registry; it never loads the model). The reference data is the
 * breast cancer data set in {@code scripts/data}.
 */
public final class DriftTestPlatform implements AutoCloseable {
    public static final String TABLE = "capstan-test";
    public static final String ARTIFACTS = "capstan-artifacts";
    public static final String DATASETS = "capstan-datasets";
    public static final String CAPTURE = "capstan-capture";
    public static final DriftBuckets BUCKETS = new DriftBuckets(ARTIFACTS, CAPTURE, DATASETS);
    /** Five of the data set's numeric features. */
    public static final List<String> FEATURES = List.of("mean_radius", "mean_texture", "mean_perimeter", "mean_area",
            "mean_smoothness");
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    private final DynamoDbLocalTable table;
    private final S3ProxyFixture s3Proxy;
    public final DynamoDbClient dynamoDb;
    public final S3Client s3;
    public final DynamoDbRegistryStore registry;
    public final DynamoDbDriftStore store;
    public final S3DriftStorage storage;
    public final List<DriftSummary> published = new CopyOnWriteArrayList<>();
    public final List<String> retrainings = new CopyOnWriteArrayList<>();
    public final DriftMetrics metrics = published::add;
    public final RetrainingStarter retraining = (model, bucket, key, reason) -> {
        retrainings.add(model + " s3://" + bucket + "/" + key);
        return model + "-drift-" + retrainings.size();
    };
    /** The reference table: one column per feature, plus the label. */
    public final double[][] reference;

    public DriftTestPlatform() throws Exception {
        table = new DynamoDbLocalTable(TABLE);
        dynamoDb = table.client;
        s3Proxy = S3ProxyFixture.transientStore();
        s3 = s3Proxy.client();
        for (String bucket : List.of(ARTIFACTS, DATASETS, CAPTURE)) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        registry = new DynamoDbRegistryStore(dynamoDb, TABLE);
        store = new DynamoDbDriftStore(dynamoDb, TABLE);
        storage = new S3DriftStorage(s3);
        reference = readFeatures(dataFile());
    }

    /** The monitor on this platform at {@code clock}. */
    public DriftMonitor monitor(Clock clock) {
        return services(clock).monitor();
    }

    /** The monitor and the drift API as the drift function wires them, at {@code clock}. */
    public DriftServices services(Clock clock) {
        return DriftServices.create(dynamoDb, TABLE, s3, BUCKETS, retraining, metrics, clock);
    }

    /** The breast cancer data set. */
    public static Path dataFile() {
        for (Path candidate : List.of(Path.of("../../scripts/data/breast_cancer.csv"),
                Path.of("scripts/data/breast_cancer.csv"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("breast_cancer.csv not found (scripts/data)");
    }

    /**
     * Registers {@code model} with version 1 as its champion, stored as the registry stores it
     * ({@code mlflow-artifacts:/registry/<model>/1/…}, in the artifact bucket) with a
     * reference profile of {@link #FEATURES} when {@code withProfile}.
     */
    public void registerChampion(String model, Map<String, String> tags, boolean withProfile, Provenance provenance) {
        long now = System.currentTimeMillis();
        registry.createModel(new RegisteredModel(model, now, now, "", tags, Map.of("champion", 1L), null));
        long version = registry.allocateVersion(model);
        String folder = "registry/" + model + "/" + version + "/0a1b2c/";
        registry.createVersion(new ModelVersion(model, version, now, now, "ada", Stage.NONE, "", "runs:/r/model", "r",
                "", ModelVersionStatus.READY, "", Map.of(), "mlflow-artifacts:/" + folder, provenance));
        if (withProfile) {
            put(ARTIFACTS, folder + DatasetProfile.FILE_NAME, referenceProfile().toJson());
        }
    }

    /**
     * Registers {@code model} as {@link #registerChampion} does with a profile, and as this release's registry does:
     * a serving manifest recording the profile's digest, and the manifest's digest on the version.
     *
     * @return the registry folder's key, ending in '/'
     */
    public String registerChampionWithManifest(String model) {
        long now = System.currentTimeMillis();
        registry.createModel(new RegisteredModel(model, now, now, "", Map.of(), Map.of("champion", 1L), null));
        long version = registry.allocateVersion(model);
        String folder = "registry/" + model + "/" + version + "/0a1b2c/";
        byte[] profile = referenceProfile().toJson();
        byte[] manifest = new ServingManifest(ServingManifest.FORMAT_VERSION, ServingManifest.Flavor.ONNX, "model.onnx",
                "0".repeat(64), null, new OnnxGraph(List.of(), List.of(), Map.of(), "", 0), null, Sha256.hex(profile))
                .toJson();
        put(ARTIFACTS, folder + DatasetProfile.FILE_NAME, profile);
        put(ARTIFACTS, folder + ServingManifest.FILE_NAME, manifest);
        registry.createVersion(new ModelVersion(model, version, now, now, "ada", Stage.NONE, "", "runs:/r/model", "r",
                "", ModelVersionStatus.READY, "", Map.of(), "mlflow-artifacts:/" + folder, Provenance.UNKNOWN, "",
                Servability.servableBy(Sha256.hex(manifest))));
        return folder;
    }

    /** The profile the trainer would write for the reference data. */
    public DatasetProfile referenceProfile() {
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (int j = 0; j < FEATURES.size(); j++) {
            builder.numeric(FEATURES.get(j), reference[j]);
        }
        return builder.build();
    }

    /**
     * Captures {@code rows} requests drawn from the reference rows, feature {@code j} shifted by {@code shiftStd[j]}
     * of its standard deviation, flushed at {@code flushedAt} as {@code parts} sketch objects.
     */
    public void capture(String model, long version, int rows, double[] shiftStd, Instant flushedAt, int parts,
                        long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<FeatureSpec> schema = FEATURES.stream().map(FeatureSpec::numeric).toList();
        double[] std = new double[FEATURES.size()];
        for (int j = 0; j < std.length; j++) {
            std[j] = std(reference[j]);
        }
        int perPart = rows / parts;
        for (int p = 0; p < parts; p++) {
            StreamingProfile sketch = StreamingProfile.create(schema, SketchParameters.defaults());
            int n = p == parts - 1 ? rows - perPart * (parts - 1) : perPart;
            for (int i = 0; i < n; i++) {
                int row = random.nextInt(reference[0].length);
                float[] values = new float[FEATURES.size()];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) (reference[j][row] + shiftStd[j] * std[j]);
                }
                sketch.update(values);
            }
            String key = "capture/" + model + "/" + version + "/" + HOUR.format(flushedAt) + "/"
                    + (flushedAt.toEpochMilli() + p) + "-container" + p + ".sketch";
            put(CAPTURE, key, sketch.toBytes());
        }
    }

    /** Writes the reference rows, feature {@code j} shifted by {@code shiftStd[j]} std, as CSV with the label. */
    public byte[] csv(double[] shiftStd) {
        StringBuilder out = new StringBuilder(String.join(",", FEATURES)).append(",target\n");
        for (int i = 0; i < reference[0].length; i++) {
            for (int j = 0; j < FEATURES.size(); j++) {
                out.append(reference[j][i] + shiftStd[j] * std(reference[j])).append(',');
            }
            out.append(i % 3 == 0 ? "malignant" : "benign").append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public void put(String bucket, String key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    public boolean exists(String uri) {
        String rest = uri.substring("s3://".length());
        String bucket = rest.substring(0, rest.indexOf('/'));
        String key = rest.substring(rest.indexOf('/') + 1);
        return !s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().isEmpty();
    }

    public String read(String uri) {
        String rest = uri.substring("s3://".length());
        String bucket = rest.substring(0, rest.indexOf('/'));
        String key = rest.substring(rest.indexOf('/') + 1);
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    public static double[] noShift() {
        return new double[FEATURES.size()];
    }

    public static double[] shiftAll(double std) {
        double[] shift = new double[FEATURES.size()];
        Arrays.fill(shift, std);
        return shift;
    }

    private static double[][] readFeatures(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<String> header = List.of(lines.get(0).split(","));
            List<double[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",");
                double[] row = new double[FEATURES.size()];
                for (int j = 0; j < row.length; j++) {
                    row[j] = Double.parseDouble(fields[header.indexOf(FEATURES.get(j))]);
                }
                rows.add(row);
            }
            double[][] columns = new double[FEATURES.size()][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < FEATURES.size(); j++) {
                    columns[j][i] = rows.get(i)[j];
                }
            }
            return columns;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double std(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length);
    }

    @Override
    public void close() throws Exception {
        s3Proxy.close();
        table.close();
    }
}
