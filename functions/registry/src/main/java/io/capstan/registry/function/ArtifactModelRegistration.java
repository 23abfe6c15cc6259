package io.capstan.registry.function;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.InvalidModelCardException;
import io.capstan.model.ModelCard;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.InvalidProfileException;
import io.capstan.provenance.CapstanVersion;
import io.capstan.provenance.Provenance;
import io.capstan.registry.ModelRegistration;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.onnx.OnnxModelCheck;
import io.capstan.storage.KeyPrefixes;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.TrackingService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registration against Capstan's artifact store: the source ({@code runs:/<run>/<path>},
 * {@code mlflow-artifacts:/<path>}, {@code s3://<artifact bucket>/<key>}) names a folder holding {@code model.onnx}
 * and {@code model-card.json}, the ONNX file itself (the card beside it), or a SageMaker {@code model.tar.gz}
 * holding both. The pair is checked with ONNX Runtime and copied to
 * {@code registry/<name>/<version>/<sha256 prefix>/}, which is never written again; provenance is read from the
 * source run. A reference profile ({@code profile.json}) beside the model is checked (it must read as a profile and
 * describe only the card's input columns) and copied, unchanged, into the same folder, where the drift check and the
 * predict function's traffic capture find it; a source without one registers as before.
 */
public final class ArtifactModelRegistration implements ModelRegistration {
    public static final String MODEL_FILE = "model.onnx";

    private final ArtifactStore artifacts;
    private final String artifactBucket;
    private final TrackingService tracking;
    private final OnnxModelCheck check;

    public ArtifactModelRegistration(ArtifactStore artifacts, String artifactBucket, TrackingService tracking,
                                     OnnxModelCheck check) {
        this.artifacts = artifacts;
        this.artifactBucket = artifactBucket;
        this.tracking = tracking;
        this.check = check;
    }

    @Override
    public Outcome register(ModelVersion pending) {
        SourceFiles.Found found;
        Optional<Run> run;
        try {
            run = sourceRun(pending);
            SourceFiles.Lookup lookup = new SourceFiles(artifacts).find(artifactKey(pending.source(), run));
            if (lookup instanceof SourceFiles.Missing missing) {
                return new Failed(missing.reason());
            }
            found = (SourceFiles.Found) lookup;
        } catch (CapstanException e) {
            if (e.retryable()) {
                throw e;
            }
            return new Failed(e.getMessage());
        }
        ModelCard card;
        try {
            card = ModelCard.fromJson(found.card());
        } catch (InvalidModelCardException e) {
            return new Failed(ModelCard.FILE_NAME + ": " + e.getMessage());
        }
        OnnxModelCheck.Result result = check.check(found.model(), card);
        if (result instanceof OnnxModelCheck.Invalid invalid) {
            return new Failed("The model does not agree with its card: " + invalid.reason());
        }
        Optional<String> badProfile = found.referenceProfile().flatMap(profile -> profileProblem(profile, card));
        if (badProfile.isPresent()) {
            return new Failed(badProfile.get());
        }
        String sha256 = sha256(found.model());
        String folder = KeyPrefixes.REGISTRY + pending.name() + "/" + pending.version() + "/" + sha256.substring(0, 16);
        artifacts.put(folder + "/" + MODEL_FILE, found.model());
        artifacts.put(folder + "/" + ModelCard.FILE_NAME, card.toJson());
        found.referenceProfile().ifPresent(profile -> artifacts.put(folder + "/" + DatasetProfile.FILE_NAME, profile));
        return new Registered("mlflow-artifacts:/" + folder,
                provenance(sha256, run, ((OnnxModelCheck.Valid) result).producer()));
    }

    /** What is wrong with a reference profile for this card, for a person; empty when nothing is. */
    private static Optional<String> profileProblem(byte[] json, ModelCard card) {
        DatasetProfile profile;
        try {
            profile = DatasetProfile.fromJson(json);
        } catch (InvalidProfileException e) {
            return Optional.of("The reference profile (" + DatasetProfile.FILE_NAME + ") is not valid: "
                    + e.getMessage());
        }
        List<String> unknown = profile.features().stream().map(FeatureProfile::name)
                .filter(name -> !card.features().contains(name)).toList();
        if (!unknown.isEmpty()) {
            return Optional.of(DatasetProfile.FILE_NAME + " describes " + unknown + ", which the model card's features "
                    + card.features() + " do not include: the reference profile must describe the model's own input"
                    + " columns, so that drift checks compare like with like. Write it from the training data the model"
                    + " was trained on, or leave it out.");
        }
        return Optional.empty();
    }

    /** The run the version came from: named by the version or by a {@code runs:/} source. */
    private Optional<Run> sourceRun(ModelVersion pending) {
        String runId = pending.runId();
        if (runId.isEmpty() && pending.source().startsWith("runs:/")) {
            String rest = pending.source().substring("runs:/".length());
            runId = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        }
        if (runId.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(tracking.getRun(runId));
        } catch (CapstanException e) {
            if (e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw CapstanException.invalidParameter("The source run " + runId + " does not exist.");
            }
            throw e;
        }
    }

    /** The key in the artifact bucket the source names. */
    private String artifactKey(String source, Optional<Run> run) {
        String key;
        if (source.startsWith("runs:/")) {
            String rest = source.substring("runs:/".length());
            String path = rest.contains("/") ? rest.substring(rest.indexOf('/') + 1) : "";
            String root = run.orElseThrow().info().artifactUri();
            if (!root.startsWith("mlflow-artifacts:/")) {
                throw CapstanException.invalidParameter("The source run keeps its artifacts at '" + root + "', outside"
                        + " Capstan's artifact store; register the model from mlflow-artifacts:/ or s3:// instead.");
            }
            key = root.substring("mlflow-artifacts:/".length()) + (path.isEmpty() ? "" : "/" + path);
        } else if (source.startsWith("mlflow-artifacts:")) {
            key = source.substring("mlflow-artifacts:".length());
        } else if (source.startsWith("s3://")) {
            String rest = source.substring("s3://".length());
            String bucket = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
            if (!bucket.equals(artifactBucket)) {
                throw CapstanException.invalidParameter("The registry reads models from its artifact bucket only ("
                        + "s3://" + artifactBucket + "/...); '" + source + "' is in bucket '" + bucket + "'.");
            }
            key = rest.substring(bucket.length());
        } else {
            throw CapstanException.invalidParameter("Unsupported model source '" + source + "': use runs:/<run id>/"
                    + "<path>, mlflow-artifacts:/<path> or s3://" + artifactBucket + "/<key>.");
        }
        key = key.replaceAll("^/+", "").replaceAll("/+$", "");
        if (key.isEmpty() || List.of(key.split("/")).stream().anyMatch(p -> p.isEmpty() || p.equals("..") || p.equals("."))) {
            throw CapstanException.invalidParameter("The model source '" + source + "' is not a path in the artifact"
                    + " store.");
        }
        return key;
    }

    private Provenance provenance(String sha256, Optional<Run> run, String producer) {
        Provenance.RuntimePart runtime = new Provenance.RuntimePart(System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"), check.runtimeVersion(), producer);
        if (run.isEmpty()) {
            return new Provenance(sha256, null, List.of(), new Provenance.TrainerPart(null, Map.of(), null),
                    new Provenance.CodePart(null, CapstanVersion.CURRENT), runtime, Map.of());
        }
        Run r = run.get();
        List<Provenance.DatasetPart> datasets = r.inputs().stream().map(DatasetInput::dataset)
                .map(d -> new Provenance.DatasetPart(d.name(), d.digest(), d.source(), d.sourceType())).toList();
        String algorithm = r.params().getOrDefault("algorithm", r.tags().get("capstan.algorithm"));
        Map<String, Double> metrics = new TreeMap<>();
        for (Metric m : r.metrics()) {
            metrics.put(m.key(), m.value());
        }
        return new Provenance(sha256, r.info().runId(), datasets,
                new Provenance.TrainerPart(algorithm, r.params(), r.params().get("seed")),
                new Provenance.CodePart(r.tags().get("mlflow.source.git.commit"), CapstanVersion.CURRENT), runtime,
                metrics);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
