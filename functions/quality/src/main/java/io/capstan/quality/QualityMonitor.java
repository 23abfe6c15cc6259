package io.capstan.quality;

import io.capstan.monitoring.QualityMetrics;
import io.capstan.quality.abtest.AbComparison;
import io.capstan.quality.abtest.AbTests;
import io.capstan.quality.abtest.AbVerdict;
import io.capstan.quality.engine.DuckDbJoin;
import io.capstan.quality.engine.JoinEngine;
import io.capstan.quality.engine.JoinWindow;
import io.capstan.quality.engine.Joined;
import io.capstan.quality.engine.JoinedVersion;
import io.capstan.quality.metrics.ClassificationMetrics;
import io.capstan.quality.metrics.LabelledClassification;
import io.capstan.quality.metrics.RegressionMetrics;
import io.capstan.quality.report.QualityReportHtml;
import io.capstan.quality.report.QualityReportJson;
import io.capstan.quality.serving.Retraining;
import io.capstan.quality.serving.ServingControl;
import io.capstan.quality.storage.QualityStorage;
import io.capstan.registry.RegistryLimits;
import io.capstan.storage.KeyPrefixes;
import io.capstan.storage.RandomSuffixes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs quality checks: reads a window's prediction records and the ground truth sent for them from the capture bucket,
 * joins them ({@link JoinEngine}), measures each version ({@link ClassificationMetrics}, {@link RegressionMetrics}),
 * compares champion and challenger when two versions served ({@link AbTests}), and stores the report as JSON and
 * HTML under {@code quality/<model>/<report id>/}.
 *
 * <p>The champion and challenger are the versions the request names; else the model's {@code champion} and
 * {@code challenger} aliases; else, when exactly two versions have labelled predictions in the window, the older is
 * taken as the champion. A verdict on the two aliases is acted on as the model's {@link QualityPolicy} says (promote
 * a better challenger, end the canary of a worse one; audited, with the comparison in the reason) and the report's
 * decision says what was done. Accuracy is compared with the
 * two-proportion test, a regressor's mean absolute error by bootstrap (2,000 resamples, seeded by the model's name, so that a check
 * run again on the same data gives the same interval).
 */
public final class QualityMonitor {
    /** The longest window a check reads: 31 days. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);
    private static final DateTimeFormatter REPORT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int BOOTSTRAP_RESAMPLES = 2_000;

    private final QualityStorage storage;
    private final JoinEngine engine;
    private final QualityMetrics metrics;
    private final ServingControl serving;
    private final Retraining retraining;
    private final Clock clock;

    /** A monitor that publishes no metrics and reads no registry (it compares as the class says, and only reports). */
    public QualityMonitor(QualityStorage storage, Clock clock) {
        this(storage, measured -> { }, ServingControl.none(), clock);
    }

    /**
     * @param metrics where each check's figures go
     * @param serving the registry: each model's {@link QualityPolicy}, its aliases, and the policy's actions
     */
    public QualityMonitor(QualityStorage storage, QualityMetrics metrics, ServingControl serving, Clock clock) {
        this(storage, metrics, serving, Retraining.none(), clock);
    }

    /** @param retraining starts the pipeline when a model's policy asks for it and its quality dropped */
    public QualityMonitor(QualityStorage storage, QualityMetrics metrics, ServingControl serving,
                          Retraining retraining, Clock clock) {
        this(storage, new DuckDbJoin(storage), metrics, serving, retraining, clock);
    }

    /** @param engine joins the window's records and feedback ({@link io.capstan.quality.engine.JoinEngineChoice}) */
    public QualityMonitor(QualityStorage storage, JoinEngine engine, QualityMetrics metrics, ServingControl serving,
                          Retraining retraining, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.serving = Objects.requireNonNull(serving, "serving");
        this.retraining = Objects.requireNonNull(retraining, "retraining");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What a check is asked to do.
     *
     * @param model                   the registered model
     * @param trigger                 {@code api} or {@code schedule}
     * @param window                  the predictions of the last this long are measured
     * @param champion                the champion's version, or empty to let the check pick (see the class)
     * @param challenger              the challenger's version, or empty
     * @param alpha                   the significance level of the comparison; empty for the model's policy's
     * @param minimumDetectableEffect the smallest difference worth detecting, for the rows still needed; empty for
     *                                the model's policy's
     */
    public record CheckRequest(String model, String trigger, Duration window, Optional<String> champion,
                               Optional<String> challenger, OptionalDouble alpha,
                               OptionalDouble minimumDetectableEffect) {
        public CheckRequest {
            Objects.requireNonNull(model, "model");
            if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("the window must be above 0 and at most 31 days, got " + window);
            }
        }

        /** A scheduled check: the versions compared as the class says, at the model's policy's levels. */
        public static CheckRequest scheduled(String model, Duration window) {
            return new CheckRequest(model, "schedule", window, Optional.empty(), Optional.empty(),
                    OptionalDouble.empty(), OptionalDouble.empty());
        }
    }

    /** The models whose predictions are recorded (the folders under {@code predictions/}), by name. */
    public List<String> modelsWithRecords() {
        return storage.folders(KeyPrefixes.PREDICTIONS).stream().filter(folder -> folder.startsWith("model="))
                .map(folder -> URLDecoder.decode(folder.substring("model=".length(), folder.length() - 1),
                        StandardCharsets.UTF_8)).sorted().toList();
    }

    /** Runs a check now and stores its report. */
    public QualityReport check(CheckRequest request) {
        Instant to = clock.instant();
        Instant from = to.minus(request.window());
        String reportId = REPORT_TIME.format(to) + "-" + RandomSuffixes.hex(3);
        Joined joined = engine.join(new JoinWindow(request.model(), from.minus(request.window()), from, to, to));
        List<VersionQuality> versions = joined.versions().stream().map(version -> measure(joined, version)).toList();
        ServingControl.Served served = serving.served(request.model());
        Policy policy = policy(served);
        Pair pair = pair(request, served, joined);
        Optional<AbComparison> ab = pair.compared().map(versionsCompared -> compare(request, policy.policy(), joined,
                versionsCompared.get(0), versionsCompared.get(1)).withVersions(versionsCompared.get(0).version(),
                versionsCompared.get(1).version()));
        Optional<QualityMetrics.Measured> pooled = pooled(request.model(), reportId, joined);
        String decision = policy.problem().orElseGet(() -> act(request.model(), reportId, policy.policy(), pair, ab)
                + degradation(request.model(), reportId, policy.policy(), pooled));
        QualityReport report = new QualityReport(reportId, request.model(), joined.task(), from, to, to,
                request.trigger(), versions, ab, joined.issues(), joined.engine(), decision);
        String folder = reportFolder(request.model(), reportId);
        storage.put(folder + "report.json", QualityReportJson.toJson(report).toString()
                .getBytes(StandardCharsets.UTF_8), "application/json");
        storage.put(folder + "report.html", QualityReportHtml.render(report).getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8");
        pooled.ifPresent(metrics::publish);
        return report;
    }

    /** The window's figure over every labelled prediction, whichever version made it; empty without labels. */
    private static Optional<QualityMetrics.Measured> pooled(String model, String reportId,
                                                           Joined joined) {
        long predictions = joined.versions().stream().mapToLong(JoinedVersion::predictions).sum();
        long labelled = 0;
        double total = 0;
        for (JoinedVersion version : joined.versions()) {
            if (joined.task() == Task.CLASSIFICATION) {
                labelled += version.classified().size();
                total += correct(version.classified());
            } else {
                labelled += version.actual().length;
                for (int row = 0; row < version.actual().length; row++) {
                    total += Math.abs(version.actual()[row] - version.predicted()[row]);
                }
            }
        }
        if (labelled == 0) {
            return Optional.empty();
        }
        return Optional.of(new QualityMetrics.Measured(model, joined.task() == Task.CLASSIFICATION
                ? QualityMetrics.ACCURACY : QualityMetrics.MEAN_ABSOLUTE_ERROR, total / labelled,
                (double) labelled / predictions, labelled, reportId));
    }

    /** The folder of a model's quality reports. */
    public static String reportsOf(String model) {
        return KeyPrefixes.QUALITY + model + "/";
    }

    /** The folder of one report: {@code report.json} and {@code report.html}. */
    public static String reportFolder(String model, String reportId) {
        return reportsOf(model) + reportId + "/";
    }

    private static VersionQuality measure(Joined joined, JoinedVersion version) {
        double coverage = version.predictions() == 0 ? Double.NaN
                : (double) version.labelled() / version.predictions();
        FeedbackDelay delay = FeedbackDelay.of(version.delaySeconds());
        if (joined.task() == Task.REGRESSION) {
            return new VersionQuality(version.version(), version.predictions(), version.labelled(), coverage, delay,
                    Optional.empty(), Optional.of(RegressionMetrics.of(version.actual(), version.predicted())));
        }
        return new VersionQuality(version.version(), version.predictions(), version.labelled(), coverage, delay,
                Optional.of(ClassificationMetrics.of(joined.classes(), version.classified())), Optional.empty());
    }

    /** The model's policy, or report-only with the reason when its tags cannot be read as one. */
    private record Policy(QualityPolicy policy, Optional<String> problem) {
    }

    private static Policy policy(ServingControl.Served served) {
        try {
            return new Policy(QualityPolicy.fromTags(served.tags()), Optional.empty());
        } catch (IllegalArgumentException e) {
            return new Policy(QualityPolicy.REPORT_ONLY, Optional.of("reported; the policy was not applied: "
                    + e.getMessage()));
        }
    }

    /**
     * The champion and challenger compared, and whether they are the model's {@code champion} and {@code challenger}
     * aliases (only then may the policy act on the verdict).
     */
    private record Pair(Optional<List<JoinedVersion>> compared, boolean aliases) {
    }

    private static Pair pair(CheckRequest request, ServingControl.Served served, Joined joined) {
        Optional<String> championAlias = served.aliasVersion("champion");
        Optional<String> challengerAlias = served.aliasVersion("challenger");
        Optional<String> champion = request.champion();
        Optional<String> challenger = request.challenger();
        if (champion.isEmpty() && championAlias.isPresent() && challengerAlias.isPresent()
                && !championAlias.equals(challengerAlias)) {
            champion = championAlias;
            challenger = challengerAlias;
        }
        List<JoinedVersion> labelled = joined.versions().stream().filter(v -> v.labelled() > 0).toList();
        Optional<JoinedVersion> a = champion.isPresent() ? find(joined, champion.get())
                : labelled.size() == 2 ? Optional.of(labelled.get(0)) : Optional.empty();
        Optional<JoinedVersion> b = challenger.isPresent() ? find(joined, challenger.get())
                : labelled.size() == 2 ? Optional.of(labelled.get(1)) : Optional.empty();
        if (a.isEmpty() || b.isEmpty()) {
            return new Pair(Optional.empty(), false);
        }
        boolean aliases = championAlias.equals(Optional.of(a.get().version()))
                && challengerAlias.equals(Optional.of(b.get().version()));
        return new Pair(Optional.of(List.of(a.get(), b.get())), aliases);
    }

    private AbComparison compare(CheckRequest request, QualityPolicy policy, Joined joined,
                                 JoinedVersion a, JoinedVersion b) {
        double alpha = request.alpha().orElse(policy.alpha());
        double effect = request.minimumDetectableEffect().orElse(policy.minimumDetectableEffect());
        if (joined.task() == Task.CLASSIFICATION) {
            return AbTests.proportions("accuracy", correct(a.classified()), a.classified().size(),
                    correct(b.classified()), b.classified().size(), alpha, effect);
        }
        return AbTests.bootstrap("mean absolute error", false, a.actual().length, rows -> meanAbsoluteError(a, rows),
                b.actual().length, rows -> meanAbsoluteError(b, rows), alpha, effect, BOOTSTRAP_RESAMPLES,
                seed(request));
    }

    /**
     * What the policy does when the window's figure crossed its retraining threshold with enough labels: "" when it
     * did not (or the policy sets no threshold), else "; accuracy 0.6100 below 0.8000 over 500 labels: <what was done>".
     */
    private String degradation(String model, String reportId, QualityPolicy policy,
                               Optional<QualityMetrics.Measured> pooled) {
        if (pooled.isEmpty() || pooled.get().labelled() < policy.minLabelled()) {
            return "";
        }
        QualityMetrics.Measured measured = pooled.get();
        boolean accuracy = measured.metric().equals(QualityMetrics.ACCURACY);
        OptionalDouble threshold = accuracy ? policy.retrainBelowAccuracy() : policy.retrainAboveError();
        if (threshold.isEmpty() || (accuracy ? measured.value() >= threshold.getAsDouble()
                : measured.value() <= threshold.getAsDouble())) {
            return "";
        }
        String finding = String.format(java.util.Locale.ROOT, "%s %.4f %s %.4f over %d labels",
                accuracy ? "accuracy" : "mean absolute error", measured.value(), accuracy ? "below" : "above",
                threshold.getAsDouble(), measured.labelled());
        return "; " + finding + ": " + retraining.retrain(model, "quality check " + reportId + ": " + finding,
                policy.retrainCooldown());
    }

    /** What the policy does with the verdict: only for the model's own champion and challenger aliases. */
    private String act(String model, String reportId, QualityPolicy policy, Pair pair, Optional<AbComparison> ab) {
        if (ab.isEmpty() || !pair.aliases()) {
            return "reported";
        }
        AbComparison comparison = ab.get();
        String evidence = "quality check " + reportId + ": " + comparison.reason();
        String reason = evidence.length() > RegistryLimits.MAX_REASON_LENGTH
                ? evidence.substring(0, RegistryLimits.MAX_REASON_LENGTH) : evidence;
        String champion = pair.compared().orElseThrow().get(0).version();
        String challenger = pair.compared().orElseThrow().get(1).version();
        if (comparison.verdict() == AbVerdict.CHALLENGER_BETTER && policy.promoteBetter()) {
            return serving.promote(model, champion, challenger, reason);
        }
        if (comparison.verdict() == AbVerdict.CHALLENGER_WORSE && policy.endWorse()) {
            return serving.endCanary(model, reason);
        }
        return "reported";
    }

    private static Optional<JoinedVersion> find(Joined joined, String version) {
        return joined.versions().stream().filter(v -> v.version().equals(version)).findFirst();
    }

    private static long correct(List<LabelledClassification> rows) {
        return rows.stream().filter(row -> row.actual().equals(row.predicted())).count();
    }

    private static double meanAbsoluteError(JoinedVersion version, int[] rows) {
        double sum = 0;
        for (int row : rows) {
            sum += Math.abs(version.actual()[row] - version.predicted()[row]);
        }
        return sum / rows.length;
    }

    private static long seed(CheckRequest request) {
        return request.model().hashCode();
    }
}
