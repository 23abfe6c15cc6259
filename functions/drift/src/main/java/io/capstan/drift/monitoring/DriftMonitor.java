package io.capstan.drift.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.drift.Column;
import io.capstan.drift.CsvTable;
import io.capstan.drift.DriftDetector;
import io.capstan.drift.DriftReport;
import io.capstan.drift.distributed.DistributedCheck;
import io.capstan.drift.distributed.DistributedChecks;
import io.capstan.drift.monitoring.DriftStorage.StoredObject;
import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ServingManifest;
import io.capstan.monitoring.DatasetRetraining;
import io.capstan.monitoring.DriftMetrics;
import io.capstan.monitoring.DriftStore;
import io.capstan.monitoring.DriftSummary;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.profile.DatasetProfile;
import io.capstan.profile.FeatureKind;
import io.capstan.profile.FeatureProfile;
import io.capstan.profile.FeatureSpec;
import io.capstan.profile.InvalidProfileException;
import io.capstan.profile.ProfileBuilder;
import io.capstan.profile.SketchParameters;
import io.capstan.profile.StreamingProfile;
import io.capstan.provenance.Provenance;
import io.capstan.registry.ModelSelector;
import io.capstan.registry.ModelVersion;
import io.capstan.registry.RegisteredCopy;
import io.capstan.registry.RegisteredModel;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.RandomSuffixes;
import io.capstan.workflow.WorkflowEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs drift checks of registered models.
 *
 * <p><b>Traffic check</b> (the schedule's, and {@code POST /models/{name}/drift} without a dataset): the sketches the
 * predict function captured for the version (the champion unless named) during the window are merged and compared
 * with the version's reference profile ({@code profile.json}, written by the trainer beside the model) in sketch mode.
 * Its cost depends on the number of sketch objects, not on the traffic they summarize.
 *
 * <p><b>Dataset check</b> ({@code dataset_uri}): a CSV file compared exactly with the reference dataset (given, else
 * the version's training data from its provenance) or, when neither can be read, with the reference profile.
 *
 * <p>Every check that runs writes {@code reports/<model>/<report id>/report.json} and {@code report.html} to the
 * capture bucket, records a {@link DriftSummary} (with what was done about it) and publishes metrics. When the
 * dataset drifted and the model's tags ask for it ({@link DriftSettings#RETRAIN}), the retraining state machine is
 * started on the model's newest dataset, at most once per cool-down ({@link DriftStore#claimRetraining}).
 */
public final class DriftMonitor {
    public static final String JSON_REPORT = "report.json";
    public static final String HTML_REPORT = "report.html";
    /** The mode of a check made on the profile state machine, in its summary. */
    public static final String DISTRIBUTED = "distributed";
    private static final System.Logger LOG = System.getLogger(DriftMonitor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REPORT_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final RegistryStore registry;
    private final DriftStorage storage;
    private final DriftStore store;
    private final DriftMetrics metrics;
    private final DatasetRetraining retraining;
    private final DriftBuckets buckets;
    private final Clock clock;
    private final Optional<DistributedChecks> distributed;

    public DriftMonitor(RegistryStore registry, DriftStorage storage, DriftStore store, DriftMetrics metrics,
                        RetrainingStarter retraining, DriftBuckets buckets, Clock clock) {
        this(registry, storage, store, metrics, retraining, buckets, clock, Optional.empty());
    }

    /**
     * @param distributed checks datasets too large for this function on the profile state machine; empty to check
     *                    every dataset here
     */
    public DriftMonitor(RegistryStore registry, DriftStorage storage, DriftStore store, DriftMetrics metrics,
                        RetrainingStarter retraining, DriftBuckets buckets, Clock clock,
                        Optional<DistributedChecks> distributed) {
        this.distributed = distributed;
        this.registry = registry;
        this.storage = storage;
        this.store = store;
        this.metrics = metrics;
        this.retraining = new DatasetRetraining(buckets.datasets(), this::newest, store, retraining, clock);
        this.buckets = buckets;
        this.clock = clock;
    }

    /**
     * Runs one check.
     *
     * @return the check's outcome; {@link DriftCheckOutcome.Skipped} when there is too little traffic to judge
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown model or version, INVALID_STATE when the model
     *                          has no champion or the version nothing to compare with, INVALID_PARAMETER_VALUE for a
     *                          wrong tag, dataset or column
     */
    public DriftCheckOutcome check(DriftCheckRequest request) {
        RegisteredModel model = registry.model(request.modelName()).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Registered Model with name=" + request.modelName() + " not found"));
        DriftSettings settings = DriftSettings.fromTags(model.tags());
        if (request.window().isPresent()) {
            settings = settings.withWindow(request.window().get());
        }
        ModelVersion version = version(model, request.version());
        Optional<DatasetProfile> profile = referenceProfile(version);
        Instant now = clock.instant();
        DriftDetector detector = DriftDetector.create(settings.config());
        DriftReport report;
        if (request.dataset().isPresent()) {
            Optional<ObjectLocation> reference = request.reference().or(() -> trainingData(version.provenance()));
            if (request.dataset().get().isPrefix() || reference.map(ObjectLocation::isPrefix).orElse(false)
                    || distributed.map(d -> d.distributes(request.dataset().get(), reference)).orElse(false)) {
                return startDistributed(model, version, request, reference, profile, now);
            }
            report = exactCheck(detector, request, reference, version, profile);
        } else {
            if (profile.isEmpty()) {
                throw new CapstanException(ErrorCode.INVALID_STATE, "Version " + version.version() + " of model '"
                        + model.name() + "' has no reference profile (" + DatasetProfile.FILE_NAME + " beside the model,"
                        + " written by Capstan's trainer), so its traffic cannot be checked; post a 'dataset_uri' and a"
                        + " 'reference_uri' to compare two datasets instead.");
            }
            CaptureWindow window = new CaptureWindow(now.minus(settings.window()), now);
            Optional<StreamingProfile> traffic = capturedTraffic(model.name(), version.version(), window);
            long rows = traffic.map(StreamingProfile::rowCount).orElse(0L);
            if (rows < settings.minRows()) {
                return new DriftCheckOutcome.Skipped(model.name(), "Version " + version.version() + " of model '"
                        + model.name() + "' was asked for " + rows + " rows in the last " + hours(settings.window())
                        + "; a traffic check needs at least " + settings.minRows() + " (tag " + DriftSettings.MIN_ROWS
                        + ").");
            }
            report = detector.compare(profile.get(), traffic.get());
        }
        return publish(model.name(), settings, version, report, reportId(now), now, request.trigger(),
                request.dataset().isPresent() ? "exact" : "sketch");
    }

    /**
     * Ends a distributed check: the merged chunk profiles compared with the reference (the merged reference data, or
     * the version's reference profile) from sketches, with their error bounds, and recorded as any check. Once: a
     * retried end finds the summary it recorded and changes nothing (no second retraining claim, no second metric).
     *
     * @throws CapstanException INVALID_STATE when the version has no reference profile and no reference data
     */
    public DriftSummary finishDistributed(DistributedCheck check, StreamingProfile current,
                                          Optional<StreamingProfile> reference) {
        Optional<DriftSummary> recorded = store.summary(check.model(), check.checkId());
        if (recorded.isPresent()) {
            return recorded.get();
        }
        RegisteredModel model = registry.model(check.model()).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Registered Model with name=" + check.model() + " not found"));
        DriftSettings settings = DriftSettings.fromTags(model.tags());
        ModelVersion version = version(model, Optional.of(check.version()));
        DatasetProfile compared = reference.map(StreamingProfile::toDatasetProfile)
                .or(() -> referenceProfile(version).map(DriftMonitor::featuresOnly))
                .orElseThrow(() -> noReference(version));
        DriftReport report = DriftDetector.create(settings.config()).compare(compared, current.toDatasetProfile());
        return publish(model.name(), settings, version, report, check.checkId(), clock.instant(), check.trigger(),
                DISTRIBUTED).summary();
    }

    /** A distributed check still running, or failed; empty when there is none (or it ended and was recorded). */
    public Optional<WorkflowEngine.Execution> distributedCheck(String model, String reportId) {
        return distributed.flatMap(d -> d.execution(model, reportId));
    }

    private DriftCheckOutcome startDistributed(RegisteredModel model, ModelVersion version, DriftCheckRequest request,
                                               Optional<ObjectLocation> reference, Optional<DatasetProfile> profile,
                                               Instant now) {
        DistributedChecks checks = distributed.orElseThrow(() -> CapstanException.invalidParameter("A dataset named"
                + " by a prefix is checked on the profile state machine, which this platform does not run; name one"
                + " CSV object."));
        if (reference.isEmpty() && profile.isEmpty()) {
            throw noReference(version);
        }
        ObjectLocation dataset = request.dataset().orElseThrow();
        Map<String, Long> objects = checks.objects(dataset);
        Columns columns = columns(new ObjectLocation(dataset.bucket(), objects.keySet().iterator().next()), profile,
                request.categorical());
        List<FeatureSpec> schema = columns.names().stream().map(c -> new FeatureSpec(c, columns.categorical()
                .contains(c) ? FeatureKind.CATEGORICAL : FeatureKind.NUMERIC)).toList();
        DistributedCheck check = new DistributedCheck(reportId(now), model.name(), version.version(),
                request.trigger(), dataset, reference, schema, checks.maxConcurrency());
        int chunks = checks.start(check, objects).size();
        LOG.log(System.Logger.Level.INFO, "drift check {0} of {1} v{2}: {3} chunks on the profile state machine",
                check.checkId(), model.name(), version.version(), chunks);
        return new DriftCheckOutcome.Started(model.name(), check.checkId(), chunks);
    }

    private DriftCheckOutcome.Checked publish(String modelName, DriftSettings settings, ModelVersion version,
                                              DriftReport report, String reportId, Instant now, String trigger,
                                              String mode) {
        ObjectLocation folder = new ObjectLocation(buckets.capture(), KeyPrefixes.REPORTS + modelName + "/" + reportId
                + "/");
        ObjectLocation json = folder.child(JSON_REPORT);
        ObjectLocation html = folder.child(HTML_REPORT);
        storage.write(json, report.toJson(), "application/json");
        storage.write(html, report.toHtml().getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
        String decision = decide(modelName, settings, report, reportId);
        DriftSummary summary = new DriftSummary(modelName, reportId, now.toEpochMilli(), trigger, mode,
                Long.toString(version.version()), report.datasetDrift(), report.driftedShare(),
                report.predictionDrift().orElse(null), report.referenceRows(), report.currentRows(), json.uri(),
                html.uri(), decision);
        store.put(summary);
        metrics.publish(summary);
        LOG.log(System.Logger.Level.INFO, "drift check {0} of {1} v{2}: dataset drift {3} ({4} of features); {5}",
                reportId, modelName, version.version(), report.datasetDrift(), report.driftedShare(), decision);
        return new DriftCheckOutcome.Checked(summary, report);
    }

    /** The reference profile's features: a dataset is compared on its inputs, not on a label or predictions. */
    private static DatasetProfile featuresOnly(DatasetProfile profile) {
        return new DatasetProfile(profile.formatVersion(), profile.rowCount(), profile.features(), null, List.of());
    }

    private static String reportId(Instant now) {
        return REPORT_TIME.format(now) + "-" + RandomSuffixes.hex(3);
    }

    private static CapstanException noReference(ModelVersion version) {
        return new CapstanException(ErrorCode.INVALID_STATE, "Version " + version.version() + " of model '"
                + version.name() + "' has neither a reference profile nor readable training data; give"
                + " 'reference_uri' to compare the dataset with.");
    }

    /**
     * The scheduled check of every model with a champion: each model's traffic against its champion's reference.
     * A model that cannot be checked is skipped with the reason; one failing does not stop the others.
     */
    public List<DriftCheckOutcome> checkAll() {
        List<DriftCheckOutcome> outcomes = new ArrayList<>();
        for (RegisteredModel model : registry.models()) {
            if (model.alias(ModelSelector.CHAMPION).isEmpty()) {
                continue;
            }
            outcomes.add(checkScheduled(model.name()));
        }
        return outcomes;
    }

    /** A scheduled check of one model; a reason to skip instead of an error. */
    public DriftCheckOutcome checkScheduled(String modelName) {
        try {
            return check(DriftCheckRequest.scheduled(modelName));
        } catch (CapstanException e) {
            if (e.retryable()) {
                throw e;
            }
            return new DriftCheckOutcome.Skipped(modelName, e.getMessage());
        }
    }

    private ModelVersion version(RegisteredModel model, Optional<Long> requested) {
        long number = requested.or(() -> model.alias(ModelSelector.CHAMPION)).orElseThrow(() ->
                new CapstanException(ErrorCode.INVALID_STATE, "Model '" + model.name() + "' has no champion to"
                        + " check: promote a version, or name one with 'version'."));
        ModelVersion version = registry.version(model.name(), number).map(Revision::value).orElseThrow(() ->
                CapstanException.notFound("Model Version (name=" + model.name() + ", version=" + number
                        + ") not found"));
        if (!version.isReady() || version.storageLocation().isEmpty()) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "Version " + number + " of model '" + model.name()
                    + "' is " + version.status() + " and has no registered copy to compare with.");
        }
        return version;
    }

    /**
     * The version's reference profile, checked against the digest its serving manifest records (and the manifest
     * against the digest on the version), so a profile changed after registration is never compared with.
     */
    private Optional<DatasetProfile> referenceProfile(ModelVersion version) {
        ObjectLocation folder = buckets.resolve(version.storageLocation(), "storage_location");
        ObjectLocation location = folder.child(DatasetProfile.FILE_NAME);
        Optional<ServingManifest> manifest = RegisteredCopy.manifest(version,
                storage.read(folder.child(ServingManifest.FILE_NAME)));
        Optional<byte[]> bytes = RegisteredCopy.profile(version, manifest, storage.read(location));
        try {
            return bytes.map(DatasetProfile::fromJson);
        } catch (InvalidProfileException e) {
            throw new CapstanException(ErrorCode.INVALID_STATE, "The reference profile " + location
                    + " cannot be read: " + e.getMessage());
        }
    }

    /** The window's captured sketches merged; empty when there are none. A damaged sketch is left out, logged. */
    private Optional<StreamingProfile> capturedTraffic(String model, long version, CaptureWindow window) {
        StreamingProfile merged = null;
        for (String prefix : window.hourPrefixes(model, Long.toString(version))) {
            for (StoredObject object : storage.list(buckets.capture(), prefix)) {
                if (!window.contains(object.location().key(), object.lastModified())) {
                    continue;
                }
                Optional<byte[]> bytes = storage.read(object.location());
                if (bytes.isEmpty()) {
                    continue; // expired between listing and reading
                }
                try {
                    StreamingProfile sketch = StreamingProfile.fromBytes(bytes.get());
                    if (merged == null) {
                        merged = sketch;
                    } else {
                        merged.merge(sketch);
                    }
                } catch (InvalidProfileException e) {
                    LOG.log(System.Logger.Level.WARNING, "skipping captured sketch {0}: {1}", object.location(),
                            e.getMessage());
                }
            }
        }
        return Optional.ofNullable(merged);
    }

    /**
     * The columns a dataset check compares: the reference profile's, its categorical ones as categories, or else the
     * header of {@code dataset}; with the request's categorical columns.
     */
    private Columns columns(ObjectLocation dataset, Optional<DatasetProfile> profile, List<String> requested) {
        Set<String> categorical = new HashSet<>(requested);
        if (profile.isEmpty()) {
            return new Columns(header(dataset, "dataset_uri"), categorical);
        }
        profile.get().features().stream().filter(f -> f.kind() == FeatureKind.CATEGORICAL)
                .forEach(f -> categorical.add(f.name()));
        return new Columns(profile.get().features().stream().map(FeatureProfile::name).toList(), categorical);
    }

    /**
     * The columns of a dataset check.
     *
     * @param names       in order
     * @param categorical those holding categories
     */
    private record Columns(List<String> names, Set<String> categorical) {
    }

    private DriftReport exactCheck(DriftDetector detector, DriftCheckRequest request,
                                   Optional<ObjectLocation> reference, ModelVersion version,
                                   Optional<DatasetProfile> profile) {
        ObjectLocation dataset = request.dataset().orElseThrow();
        Columns schema = columns(dataset, profile, request.categorical());
        List<String> columns = schema.names();
        Set<String> categorical = schema.categorical();
        List<Column> current = readColumns(dataset, "dataset_uri", columns, categorical);
        if (reference.isPresent()) {
            return detector.compare(readColumns(reference.get(), request.reference().isPresent() ? "reference_uri"
                    : "the version's training data", columns, categorical), current);
        }
        if (profile.isEmpty()) {
            throw noReference(version);
        }
        DatasetProfile features = featuresOnly(profile.get());
        ProfileBuilder builder = ProfileBuilder.create(SketchParameters.defaults());
        for (Column column : current) {
            if (column instanceof Column.Numeric n) {
                builder.numeric(n.name(), n.values());
            } else if (column instanceof Column.Categorical c) {
                builder.categorical(c.name(), c.values());
            }
        }
        return detector.compare(features, builder.build());
    }

    /**
     * The first dataset the version's run logged that is an S3 object still there. MLflow clients log a dataset's
     * source as JSON ({@code {"uri": "s3://…"}}, as Capstan's pipeline does) or as the URI itself.
     */
    private Optional<ObjectLocation> trainingData(Provenance provenance) {
        for (Provenance.DatasetPart dataset : provenance.datasets()) {
            String uri = dataset.source().trim();
            if (uri.startsWith("{")) {
                try {
                    uri = JSON.readTree(uri).path("uri").asText("");
                } catch (IOException e) {
                    continue;
                }
            }
            if (!uri.startsWith("s3://")) {
                continue;
            }
            try {
                ObjectLocation location = ObjectLocation.parse(uri, "dataset source");
                if (storage.list(location.bucket(), location.key()).stream()
                        .anyMatch(o -> o.location().key().equals(location.key()))) {
                    return Optional.of(location);
                }
            } catch (CapstanException e) {
                // a source Capstan cannot read: try the next
            }
        }
        return Optional.empty();
    }

    private List<String> header(ObjectLocation location, String field) {
        try (BufferedReader in = open(location, field)) {
            return CsvTable.header(in, location.uri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Column> readColumns(ObjectLocation location, String field, List<String> columns,
                                     Set<String> categorical) {
        try (BufferedReader in = open(location, field)) {
            return CsvTable.read(in, location.uri(), columns, categorical);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private BufferedReader open(ObjectLocation location, String field) {
        return storage.openText(location).orElseThrow(() -> CapstanException.invalidParameter("'" + field + "' names "
                + location + ", which does not exist or Capstan may not read: name an object in a bucket the drift"
                + " function reads, such as the datasets bucket."));
    }

    /** What is done about the check's finding; recorded with its summary. */
    private String decide(String model, DriftSettings settings, DriftReport report, String reportId) {
        if (!report.datasetDrift()) {
            return "no dataset drift";
        }
        if (!settings.retrain()) {
            return "dataset drift; retraining is off for this model (tag " + DriftSettings.RETRAIN + "=true turns it on)";
        }
        DatasetRetraining.Outcome outcome = retraining.retrain(model, "dataset drift found by drift check " + reportId,
                settings.cooldown());
        return outcome.started() ? outcome.message() : "dataset drift; " + outcome.message();
    }

    /**
     * The newest object under {@code prefix} whose key {@code keys} accepts; S3 keeps modification times in seconds,
     * so among objects of the same second, the last name.
     */
    private Optional<String> newest(String bucket, String prefix, Predicate<String> keys) {
        return storage.list(bucket, prefix).stream().filter(o -> keys.test(o.location().key()))
                .max(Comparator.comparingLong(StoredObject::lastModified).thenComparing(o -> o.location().key()))
                .map(o -> o.location().key());
    }

    private static String hours(Duration window) {
        long minutes = window.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
    }
}
