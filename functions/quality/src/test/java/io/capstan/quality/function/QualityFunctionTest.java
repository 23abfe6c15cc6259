package io.capstan.quality.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import io.capstan.http.QueryString;
import io.capstan.http.RouteTable;
import io.capstan.monitoring.PredictionKeys;
import io.capstan.quality.QualityMonitor;
import io.capstan.quality.storage.S3QualityStorage;
import io.capstan.quality.testutils.PredictionRecords;
import io.capstan.testing.MutableClock;
import io.capstan.testing.S3ProxyBuckets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The quality API on S3Proxy, with prediction records written in the predict function's format
 * ({@code io.capstan.predict.capture.PredictionLog}): feedback is checked and counted, a check joins records and
 * feedback into per-version figures that equal a count by hand, every feedback problem is counted and none changes a
 * figure, and reports are listed and read as JSON and HTML.
 */
class QualityFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "churn";
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @RegisterExtension
    static final S3ProxyBuckets s3 = new S3ProxyBuckets("capture");

    private MutableClock clock;
    private S3QualityStorage storage;
    private QualityFunction function;

    @BeforeEach
    void newFunction() {
        clock = new MutableClock(START);
        storage = new S3QualityStorage(s3.client(), s3.bucket());
        function = new QualityFunction(new QualityMonitor(storage, clock), storage, clock, RouteTable.capstan());
    }

    @Test
    void feedback_countsWhatItCannotUse_andStoresTheRest() throws Exception {
        HttpResponse response = post("/models/" + MODEL + "/feedback", "{\"labels\": [{\"id\": \"a\", \"label\": \"yes\"},"
                + " {\"id\": 7, \"label\": \"no\"}, {\"id\": \"a\", \"label\": \"no\"}, {\"label\": \"yes\"},"
                + " {\"id\": \"b\", \"label\": 1.5}, {\"id\": \"c\", \"value\": 2.5}, {\"id\": \"\", \"label\": \"x\"},"
                + " {\"id\": \"s\\ud800\", \"label\": \"x\"}, {\"id\": \"t\", \"label\": \"\\udc00\"}]}");

        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(3);
        assertThat(answer.at("/rejected/duplicate_id").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/invalid_id").asInt()).as("no id, an empty one, a lone surrogate").isEqualTo(3);
        assertThat(answer.at("/rejected/invalid_label").asInt()).as("1.5 for a label, a lone surrogate")
                .isEqualTo(2);
        assertThat(answer.get("errors").toString()).contains("labels[2]: id 'a' is also at labels[0], which stands",
                "labels[3]: 'id' must be", "labels[4]: give exactly one of 'label'");
        assertThat(storage.list(PredictionKeys.feedbackOf(MODEL))).singleElement().asString()
                .matches("feedback/model=churn/dt=2026-12-01/\\d{13}-[0-9a-f]{12}\\.jsonl\\.gz");
    }

    @Test
    void feedback_withNothingUsable_orTooMany_isRefused_andStoresNothing() {
        assertRefused(post("/models/" + MODEL + "/feedback", "{\"labels\": [{\"id\": \"a\"}]}"),
                "No label of this call could be used ({invalid_label=1})");
        assertRefused(post("/models/" + MODEL + "/feedback", "{\"labels\": []}"), "'labels'");
        StringBuilder many = new StringBuilder("{\"labels\": [");
        for (int i = 0; i <= 10_000; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\": ").append(i).append(", \"label\": \"x\"}");
        }
        assertRefused(post("/models/" + MODEL + "/feedback", many + "]}"), "at most 10000 entries per call, got 10001");
        assertRefused(post("/models/" + MODEL + "/feedback", "[1, 2]"), "must be a JSON object");

        assertThat(storage.list(PredictionKeys.feedbackOf(MODEL))).isEmpty();
    }

    @Test
    void feedbackFile_inTheDatasetBucket_isReadCheckedAndStoredInObjectsOfAtMost10000Labels() throws Exception {
        String datasets = S3ProxyBuckets.uniqueName("datasets");
        s3.client().createBucket(b -> b.bucket(datasets));
        QualityFunction withFiles = new QualityFunction(new QualityMonitor(storage, clock), storage,
                Optional.of(datasets), clock, RouteTable.capstan());
        StringBuilder csv = new StringBuilder("id,label,comment\n");
        for (int i = 0; i < 25_000; i++) {
            csv.append("c-").append(i).append(",").append(i % 3 == 0 ? "yes" : "no").append(",fine\n");
        }
        csv.append("c-7,yes,again\n").append("c-25001,,no label\n").append(",yes,no id\n");
        s3.client().putObject(b -> b.bucket(datasets).key("feedback/" + MODEL + "/labels.csv"),
                RequestBody.fromString(csv.toString()));

        HttpResponse response = withFiles.apply(postRequest("/models/" + MODEL + "/feedback",
                "{\"source\": \"s3://" + datasets + "/feedback/" + MODEL + "/labels.csv\"}"));

        JsonNode answer = JSON.readTree(ok(response).body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(25_000);
        assertThat(answer.at("/rejected/duplicate_id").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/invalid_label").asInt()).isEqualTo(1);
        assertThat(answer.at("/rejected/invalid_id").asInt()).isEqualTo(1);
        assertThat(answer.get("errors").toString()).contains("row[25000]: id 'c-7' is also at row[7], which stands");
        assertThat(storage.list(PredictionKeys.feedbackOf(MODEL))).as("25,000 labels in objects of 10,000").hasSize(3);

        assertRefused(withFiles.apply(postRequest("/models/" + MODEL + "/feedback", "{\"source\": \"s3://"
                + datasets + "/datasets/" + MODEL + "/labels.csv\"}")), "a CSV file under s3://" + datasets
                + "/feedback/" + MODEL + "/");
        assertRefused(withFiles.apply(postRequest("/models/" + MODEL + "/feedback", "{\"source\": \"s3://"
                + datasets + "/feedback/" + MODEL + "/missing.csv\"}")), "No feedback file at");
        s3.client().putObject(b -> b.bucket(datasets).key("feedback/" + MODEL + "/bad.csv"),
                RequestBody.fromString("identifier,label\nx,yes\n"));
        assertRefused(withFiles.apply(postRequest("/models/" + MODEL + "/feedback", "{\"source\": \"s3://"
                + datasets + "/feedback/" + MODEL + "/bad.csv\"}")), "must have a header with an 'id' column");
        assertRefused(post("/models/" + MODEL + "/feedback", "{\"source\": \"s3://" + datasets + "/feedback/"
                + MODEL + "/labels.csv\"}"), "not read on this platform");
    }

    @Test
    void check_joinsRecordsAndFeedback_perVersion_andCountsEveryFeedbackProblem() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        // version 1: 4 predictions, 3 labelled (2 right); version 2: 4 predictions of 3 ids, 2 labelled (2 right)
        records.add(classified("p1", "1", 0, "yes", 0.9));
        records.add(classified("p2", "1", 1, "no", 0.2));
        records.add(classified("p3", "1", 2, "yes", 0.6));
        records.add(classified("p4", "1", 3, "no", 0.4));
        records.add(classified("q1", "2", 4, "yes", 0.8));
        records.add(classified("q2", "2", 5, "no", 0.1));
        records.add(classified("q3", "2", 6, "yes", 0.7));
        records.add(classified("q3", "2", 7, "no", 0.3)); // the same id again: its latest prediction counts
        records.add(classified("old", "1", -90_000, "yes", 0.9)); // made before the window
        writeRecords(records);
        clock.advance(Duration.ofMinutes(10));
        ok(post("/models/" + MODEL + "/feedback", "{\"labels\": [{\"id\": \"p1\", \"label\": \"yes\"},"
                + " {\"id\": \"p2\", \"label\": \"yes\"}, {\"id\": \"p3\", \"label\": \"yes\"},"
                + " {\"id\": \"q1\", \"label\": \"yes\"}, {\"id\": \"q3\", \"label\": \"no\"},"
                + " {\"id\": \"nobody\", \"label\": \"yes\"}, {\"id\": \"p4\", \"label\": \"maybe\"}]}"));
        clock.advance(Duration.ofMinutes(1));
        ok(post("/models/" + MODEL + "/feedback", "{\"labels\": [{\"id\": \"p1\", \"label\": \"yes\"},"
                + " {\"id\": \"q1\", \"label\": \"no\"}]}"));
        clock.advance(Duration.ofMinutes(1));

        JsonNode report = JSON.readTree(ok(post("/models/" + MODEL + "/quality", "{\"window_hours\": 1}")).body())
                .get("report");

        assertThat(report.get("task").asText()).isEqualToIgnoringCase("classification");
        JsonNode v1 = version(report, "1");
        JsonNode v2 = version(report, "2");
        assertThat(v1.get("predictions").asLong()).isEqualTo(4);
        assertThat(v1.get("labelled").asLong()).as("p4's label 'maybe' is no class").isEqualTo(3);
        assertThat(v1.at("/classification/accuracy").asDouble()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(v2.get("predictions").asLong()).as("q3 was served twice").isEqualTo(4);
        assertThat(v2.get("labelled").asLong()).isEqualTo(2);
        assertThat(v2.at("/classification/accuracy").asDouble()).as("q1 stays 'yes': its first label stands")
                .isEqualTo(1.0);
        assertThat(v1.get("label_coverage").asDouble()).isCloseTo(0.75, within(1e-12));
        assertThat(v1.at("/feedback_delay/p50_seconds").asDouble()).isCloseTo(600 - 1, within(1e-9));
        JsonNode issues = report.get("feedback_issues");
        assertThat(issues.get("repeated_prediction_id").asLong()).isEqualTo(1);
        assertThat(issues.get("duplicate_id").asLong()).isEqualTo(1);
        assertThat(issues.get("conflicting_label").asLong()).isEqualTo(1);
        assertThat(issues.get("unknown_id").asLong()).isEqualTo(1);
        assertThat(issues.get("unknown_label").asLong()).isEqualTo(1);
        assertThat(report.at("/ab_test/verdict").asText()).as("two versions labelled: compared")
                .isEqualToIgnoringCase("not_yet_known");
        assertThat(report.at("/ab_test/champion_version").asText()).as("the older one as champion").isEqualTo("1");
        assertThat(report.at("/ab_test/challenger_version").asText()).isEqualTo("2");
        assertThat(report.get("engine").asText()).startsWith("duckdb");

        String id = report.get("report_id").asText();
        JsonNode listed = JSON.readTree(ok(get("/models/" + MODEL + "/quality")).body()).get("reports");
        assertThat(listed).hasSize(1);
        assertThat(listed.at("/0/report_id").asText()).isEqualTo(id);
        HttpResponse html = ok(get("/models/" + MODEL + "/quality/" + id + "?format=html"));
        assertThat(html.headers().get("Content-Type")).startsWith("text/html");
        assertThat(html.bodyAsString()).contains("<svg");
    }

    @Test
    void check_ofARegressor_measuresErrors() throws Exception {
        List<ObjectNode> records = new ArrayList<>();
        double[] predicted = {1.0, 2.0, 3.0, 4.0};
        double[] actual = {1.5, 2.0, 2.0, 5.0};
        for (int i = 0; i < predicted.length; i++) {
            records.add(JSON.createObjectNode().put("id", "r" + i).put("version", "3")
                    .put("time", START.toEpochMilli() + i).put("value", predicted[i]));
        }
        writeRecords(records);
        StringBuilder labels = new StringBuilder("{\"labels\": [");
        for (int i = 0; i < actual.length; i++) {
            labels.append(i == 0 ? "" : ",").append("{\"id\": \"r").append(i).append("\", \"value\": ")
                    .append(actual[i]).append("}");
        }
        clock.advance(Duration.ofMinutes(5));
        ok(post("/models/" + MODEL + "/feedback", labels + "]}"));

        JsonNode report = JSON.readTree(ok(post("/models/" + MODEL + "/quality", "{}")).body()).get("report");

        JsonNode regression = version(report, "3").get("regression");
        assertThat(regression.get("mae").asDouble()).isCloseTo((0.5 + 0 + 1 + 1) / 4, within(1e-12));
        assertThat(regression.get("rmse").asDouble()).isCloseTo(Math.sqrt((0.25 + 0 + 1 + 1) / 4), within(1e-12));
    }

    @Test
    void reports_badRequests_andMissingReports_getClearErrors() {
        assertRefused(post("/models/" + MODEL + "/quality", "{\"window_hours\": 0}"), "'window_hours'");
        assertRefused(post("/models/" + MODEL + "/quality", "{\"window_hours\": 745}"), "at most 744");
        assertRefused(post("/models/" + MODEL + "/quality", "{\"champion\": \"1\"}"), "both 'champion' and");
        assertRefused(post("/models/" + MODEL + "/quality", "{\"alpha\": 1.5}"), "'alpha'");
        assertRefused(get("/models/" + MODEL + "/quality/../../x"), null);
        HttpResponse missing = get("/models/" + MODEL + "/quality/20261201T100000Z-abcdef");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyAsString()).contains("RESOURCE_DOES_NOT_EXIST");
        assertRefused(get("/models/" + MODEL + "/quality/20261201T100000Z-abcdef?format=pdf"), "'format'");
    }

    private static ObjectNode classified(String id, String version, long secondsAfterStart, String label,
                                         double yes) {
        return PredictionRecords.classified(id, version, START.plusSeconds(secondsAfterStart), label, yes);
    }

    private void writeRecords(List<ObjectNode> records) {
        PredictionRecords.write(storage, MODEL, START, records);
    }

    private static JsonNode version(JsonNode report, String version) {
        for (JsonNode entry : report.get("versions")) {
            if (entry.get("version").asText().equals(version)) {
                return entry;
            }
        }
        throw new AssertionError("no version " + version + " in " + report);
    }

    private HttpResponse post(String path, String body) {
        return function.apply(postRequest(path, body));
    }

    private static HttpRequest postRequest(String path, String body) {
        return new HttpRequest("POST", path, Map.of(), Map.of("content-type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), "ada@example.com");
    }

    private HttpResponse get(String path) {
        String[] parts = path.split("\\?", 2);
        return function.apply(new HttpRequest("GET", parts[0], QueryString.parse(parts.length == 2 ? parts[1] : ""),
                Map.of(), new byte[0], "ada@example.com"));
    }

    private static HttpResponse ok(HttpResponse response) {
        assertThat(response.status()).as(response.bodyAsString()).isEqualTo(200);
        return response;
    }

    private static void assertRefused(HttpResponse response, String message) {
        assertThat(response.status()).as(response.bodyAsString()).isBetween(400, 404);
        if (message != null) {
            assertThat(response.bodyAsString()).contains(message);
        }
    }
}
