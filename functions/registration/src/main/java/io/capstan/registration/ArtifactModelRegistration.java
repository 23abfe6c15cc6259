package io.capstan.registration;

import io.capstan.error.CapstanException;
import io.capstan.model.InvalidModelCardException;
import io.capstan.model.InvalidModelFormatException;
import io.capstan.model.ModelCard;
import io.capstan.model.ServingManifest;
import io.capstan.modelformat.MlModel;
import io.capstan.modelformat.OnnxModelFile;
import io.capstan.modelformat.ServingDerivation;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.InvalidProfileException;
import io.capstan.provenance.CapstanVersion;
import io.capstan.provenance.Provenance;
import io.capstan.provenance.Sha256;
import io.capstan.registration.onnx.OnnxModelCheck;
import io.capstan.registry.ModelRegistration;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.Servability;
import io.capstan.storage.KeyPrefixes;
import io.capstan.tracking.ArtifactStore;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.TrackingService;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Registration against Capstan's artifact store, with MLflow's semantics: any source registers. A source in the store
 * ({@code runs:/<run>/<path>}, {@code mlflow-artifacts:/<path>}, {@code s3://<artifact bucket>/<key>}) is copied, every
 * file of it, to {@code registry/<name>/<version>/<digest prefix>/}, which is never written again; a source elsewhere,
 * or one that holds nothing yet, is recorded as given. What it holds decides whether Capstan can serve it: an MLflow
 * model folder with the {@code onnx} flavor, a model from Capstan's trainer ({@code model.onnx} with
 * {@code model-card.json}, or a SageMaker {@code model.tar.gz} of them), or a bare ONNX file is read, checked with ONNX
 * Runtime, and gets a serving manifest ({@value ServingManifest#FILE_NAME}) beside the copy; anything else (an sklearn
 * pickle, a pyfunc folder) registers as not servable, the reason saying what to do. Only an ONNX model that is corrupt
 * or contradicts its own signature or card fails registration. A reference profile ({@code profile.json}) beside a
 * tabular model must describe the model's own input columns.
 */
public final class ArtifactModelRegistration implements ModelRegistration {
    public static final String MODEL_FILE = "model.onnx";

    private final ArtifactStore artifacts;
    private final TrackingService tracking;
    private final OnnxModelCheck check;
    private final SourceLocator locator;

    public ArtifactModelRegistration(ArtifactStore artifacts, String artifactBucket, TrackingService tracking,
                                     OnnxModelCheck check) {
        this.artifacts = artifacts;
        this.tracking = tracking;
        this.check = check;
        this.locator = new SourceLocator(artifactBucket, tracking);
    }

    /**
     * {@inheritDoc} As MLflow's server: a local path is refused (it would name a file on the server), and so is a
     * source with {@code ..} segments; a logged model must exist (MLflow 3's server links it to the new version), and
     * its source run is the version's run when the request names none.
     */
    @Override
    public String admit(String source, String runId, String modelId) {
        String scheme;
        try {
            scheme = new URI(source).getScheme();
        } catch (URISyntaxException e) {
            scheme = source.contains(":") ? source.substring(0, source.indexOf(':')) : null;
        }
        if (scheme == null || scheme.equalsIgnoreCase("file")) {
            throw CapstanException.invalidParameter("Invalid model version source: '" + source + "'. To use a local"
                    + " path as a model version source, the run_id request parameter has to be specified and the local"
                    + " path has to be contained within the artifact directory of the run specified by the run_id.");
        }
        if (List.of(source.split("[/\\\\]")).contains("..")) {
            throw CapstanException.invalidParameter("Invalid model version source: '" + source + "'. If supplying a"
                    + " source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute"
                    + " path must be provided without relative path references present. Please provide an absolute"
                    + " path.");
        }
        if (modelId.isEmpty()) {
            return runId;
        }
        String loggedBy = tracking.getLoggedModel(modelId).sourceRunId();
        return runId.isEmpty() ? loggedBy : runId;
    }

    /** {@inheritDoc} The bytes of every file under the source, when it is in Capstan's artifact store. */
    @Override
    public long sourceBytes(String source, String runId) {
        SourceLocator.Location location = locator.locate(source, locator.sourceRun(runId == null ? "" : runId, source));
        return location instanceof SourceLocator.InStore inStore ? SourceFolder.size(artifacts, inStore.key()) : 0;
    }

    @Override
    public Outcome register(ModelVersion pending) {
        Outcome outcome = registerCopy(pending);
        if (!pending.modelId().isEmpty() && outcome instanceof Registered) {
            tracking.loggedModels().linkModelVersion(pending.modelId(), pending.name(), pending.version());
        }
        return outcome;
    }

    private Outcome registerCopy(ModelVersion pending) {
        Optional<Run> run = locator.sourceRun(pending.runId(), pending.source());
        SourceLocator.Location location = locator.locate(pending.source(), run);
        if (location instanceof SourceLocator.Elsewhere elsewhere) {
            return recordedAsGiven(pending, run, elsewhere.reason() + ", so it was recorded but not copied");
        }
        String key = ((SourceLocator.InStore) location).key();
        SourceFolder folder = SourceFolder.read(artifacts, key);
        if (folder.unreadable().isPresent()) {
            return new Failed(folder.unreadable().get());
        }
        if (folder.isEmpty()) {
            return recordedAsGiven(pending, run, "its source '" + pending.source() + "' holds no files yet, so"
                    + " nothing was copied; log the model there and register it again");
        }
        if (folder.isTruncated()) {
            return recordedAsGiven(pending, run, "its source '" + pending.source() + "' holds more than "
                    + SourceFolder.MAX_FILES + " files; register the model's own folder");
        }
        Inspection inspection = inspect(folder, pending.version());
        if (inspection instanceof Refused refused) {
            return new Failed(refused.reason());
        }
        String digest = inspection instanceof Served served ? served.manifest().modelSha256()
                : Sha256.hex(String.join("\n", folder.files()).getBytes(StandardCharsets.UTF_8));
        String copy = KeyPrefixes.REGISTRY + pending.name() + "/" + pending.version() + "/" + digest.substring(0, 16);
        folder.copyTo(copy);
        String copyUri = SourceLocator.PROXY_SCHEME + "/" + copy;
        if (inspection instanceof Served served) {
            ServingManifest manifest = served.manifest();
            Optional<byte[]> profile = folder.read(DatasetProfile.FILE_NAME);
            if (profile.isPresent()) {
                manifest = manifest.withProfileSha256(Sha256.hex(profile.get()));
            }
            byte[] manifestJson = manifest.toJson();
            artifacts.put(copy + "/" + ServingManifest.FILE_NAME, manifestJson);
            return new Registered(copyUri, provenance(manifest.modelSha256(), run, served.producer()),
                    Servability.servableBy(Sha256.hex(manifestJson)));
        }
        String reason = ((NotServed) inspection).reason();
        return new Registered(copyUri, provenance(null, run, null), Servability.notServable(reason));
    }

    private Registered recordedAsGiven(ModelVersion pending, Optional<Run> run, String reason) {
        return new Registered(pending.source(), provenance(null, run, null), Servability.notServable(reason));
    }

    // ---- what the source holds

    private sealed interface Inspection permits Served, NotServed, Refused {
    }

    private record Served(ServingManifest manifest, String producer) implements Inspection {
    }

    private record NotServed(String reason) implements Inspection {
    }

    private record Refused(String reason) implements Inspection {
    }

    private Inspection inspect(SourceFolder folder, long version) {
        if (folder.has(ModelCard.FILE_NAME) && !folder.has(MlModel.FILE_NAME)) {
            return capstanModel(folder);
        }
        if (folder.has(MlModel.FILE_NAME)) {
            MlModel mlModel;
            try {
                mlModel = MlModel.parse(folder.read(MlModel.FILE_NAME).orElseThrow());
            } catch (InvalidModelFormatException e) {
                return new NotServed(e.getMessage());
            }
            if (mlModel.onnxDataFile() == null) {
                return new NotServed(notOnnx(version, mlModel));
            }
            Optional<byte[]> onnx = folder.read(mlModel.onnxDataFile());
            if (onnx.isEmpty()) {
                return new Refused("MLmodel's onnx flavor names '" + mlModel.onnxDataFile() + "', which the model"
                        + " folder does not hold (files: " + folder.files() + ")");
            }
            return onnxModel(mlModel, mlModel.onnxDataFile(), onnx.get(), folder);
        }
        List<String> onnxFiles = folder.onnxFiles();
        if (onnxFiles.size() == 1) {
            return onnxModel(null, onnxFiles.get(0), folder.read(onnxFiles.get(0)).orElseThrow(), folder);
        }
        return new NotServed(onnxFiles.isEmpty()
                ? "version " + version + " holds no ONNX model (files: " + abbreviate(folder.files()) + "); Capstan"
                + " serves ONNX: log it with mlflow.onnx.log_model, or convert it with skl2onnx (scikit-learn),"
                + " torch.onnx.export (PyTorch) or onnxmltools (XGBoost, LightGBM)"
                : "version " + version + " holds several ONNX files " + onnxFiles + " and no MLmodel saying which to"
                + " serve; register the folder of one model, or log it with mlflow.onnx.log_model");
    }

    private Inspection capstanModel(SourceFolder folder) {
        ModelCard card;
        try {
            card = ModelCard.fromJson(folder.read(ModelCard.FILE_NAME).orElseThrow());
        } catch (InvalidModelCardException e) {
            return new Refused(ModelCard.FILE_NAME + ": " + e.getMessage());
        }
        String modelFile = folder.has(MODEL_FILE) ? MODEL_FILE
                : folder.onnxFiles().size() == 1 ? folder.onnxFiles().get(0) : null;
        if (modelFile == null) {
            return new Refused("the folder has a " + ModelCard.FILE_NAME + " but " + (folder.onnxFiles().isEmpty()
                    ? "no ONNX model" : "several ONNX files " + folder.onnxFiles() + " and no " + MODEL_FILE));
        }
        byte[] onnx = folder.read(modelFile).orElseThrow();
        OnnxModelFile file;
        try {
            file = OnnxModelFile.read(onnx);
        } catch (InvalidModelFormatException e) {
            return new Refused(modelFile + ": " + e.getMessage());
        }
        ServingDerivation.Servable derived = (ServingDerivation.Servable) ServingDerivation.fromCard(card, file,
                modelFile, Sha256.hex(onnx));
        return checked(derived.manifest(), onnx, folder, "The model does not agree with its card: ");
    }

    private Inspection onnxModel(MlModel mlModel, String modelFile, byte[] onnx, SourceFolder folder) {
        OnnxModelFile file;
        try {
            file = OnnxModelFile.read(onnx);
        } catch (InvalidModelFormatException e) {
            return new Refused(modelFile + ": " + e.getMessage());
        }
        ServingDerivation.Derivation derivation = ServingDerivation.derive(mlModel, file, modelFile, Sha256.hex(onnx));
        if (derivation instanceof ServingDerivation.Contradiction contradiction) {
            return new Refused("The model contradicts its signature: " + contradiction.reason() + ".");
        }
        if (derivation instanceof ServingDerivation.NotServable notServable) {
            return new NotServed(notServable.reason());
        }
        return checked(((ServingDerivation.Servable) derivation).manifest(), onnx, folder, "");
    }

    private Inspection checked(ServingManifest manifest, byte[] onnx, SourceFolder folder, String refusal) {
        OnnxModelCheck.Result result = check.check(onnx, manifest);
        if (result instanceof OnnxModelCheck.Invalid invalid) {
            return new Refused(refusal + invalid.reason());
        }
        if (result instanceof OnnxModelCheck.Unservable unservable) {
            return new NotServed(unservable.reason());
        }
        if (manifest.card() != null && folder.has(DatasetProfile.FILE_NAME)) {
            Optional<String> badProfile = profileProblem(folder.read(DatasetProfile.FILE_NAME).orElseThrow(),
                    manifest.card());
            if (badProfile.isPresent()) {
                return new Refused(badProfile.get());
            }
        }
        return new Served(manifest, ((OnnxModelCheck.Valid) result).producer());
    }

    private static String notOnnx(long version, MlModel mlModel) {
        String kind = mlModel.flavors().stream().filter(f -> !f.equals("python_function")).findFirst()
                .orElse("python_function");
        String what = switch (kind) {
            case "sklearn" -> "an sklearn pickle";
            case "pytorch" -> "a PyTorch model";
            case "xgboost" -> "an XGBoost model";
            case "lightgbm" -> "a LightGBM model";
            case "catboost" -> "a CatBoost model";
            case "tensorflow" -> "a TensorFlow model";
            case "keras" -> "a Keras model";
            case "python_function" -> "a custom python_function model";
            default -> "a model of flavor '" + kind + "'";
        };
        String convert = switch (kind) {
            case "sklearn" -> "convert it with skl2onnx and log it with mlflow.onnx.log_model";
            case "pytorch" -> "export it with torch.onnx.export and log it with mlflow.onnx.log_model";
            case "xgboost", "lightgbm", "catboost" -> "convert it with onnxmltools and log it with mlflow.onnx.log_model";
            case "tensorflow", "keras" -> "convert it with tf2onnx and log it with mlflow.onnx.log_model";
            default -> "log an ONNX export of it with mlflow.onnx.log_model";
        };
        return "version " + version + " holds " + what + " (flavors: " + String.join(", ", mlModel.flavors())
                + "); Capstan serves ONNX: " + convert;
    }

    private static String abbreviate(List<String> files) {
        return files.size() <= 8 ? String.join(", ", files)
                : String.join(", ", files.subList(0, 8)) + ", … (" + files.size() + " files)";
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

}
