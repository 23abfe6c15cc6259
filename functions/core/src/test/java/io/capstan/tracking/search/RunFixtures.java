package io.capstan.tracking.search;

import io.capstan.tracking.Dataset;
import io.capstan.tracking.DatasetInput;
import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.Metric;
import io.capstan.tracking.Run;
import io.capstan.tracking.RunInfo;
import io.capstan.tracking.RunStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

// Builds Runs for search tests: RunFixtures.run("a").metric("rmse", 0.5).build().
final class RunFixtures {

    private final String runId;
    private String runName;
    private String userId = "alice";
    private RunStatus status = RunStatus.FINISHED;
    private long startTime = 1_000L;
    private Long endTime = 2_000L;
    private final List<Metric> metrics = new ArrayList<>();
    private final Map<String, String> params = new HashMap<>();
    private final Map<String, String> tags = new HashMap<>();
    private final List<DatasetInput> inputs = new ArrayList<>();

    private RunFixtures(String runId) {
        this.runId = runId;
        this.runName = "run-" + runId;
    }

    static RunFixtures run(String runId) {
        return new RunFixtures(runId);
    }

    RunFixtures name(String name) {
        this.runName = name;
        return this;
    }

    RunFixtures user(String user) {
        this.userId = user;
        return this;
    }

    RunFixtures status(RunStatus runStatus) {
        this.status = runStatus;
        return this;
    }

    RunFixtures startTime(long millis) {
        this.startTime = millis;
        return this;
    }

    RunFixtures endTime(Long millis) {
        this.endTime = millis;
        return this;
    }

    RunFixtures metric(String key, double value) {
        metrics.add(new Metric(key, value, 10L, 0L));
        return this;
    }

    RunFixtures param(String key, String value) {
        params.put(key, value);
        return this;
    }

    RunFixtures tag(String key, String value) {
        tags.put(key, value);
        return this;
    }

    RunFixtures dataset(String name, String digest, String context) {
        Map<String, String> inputTags = context == null ? Map.of() : Map.of("mlflow.data.context", context);
        inputs.add(new DatasetInput(new Dataset(name, digest, "local", "{}", null, null), inputTags));
        return this;
    }

    Run build() {
        RunInfo info = new RunInfo(runId, "1", runName, userId, status, startTime, endTime,
                "mlflow-artifacts:/1/" + runId + "/artifacts", LifecycleStage.ACTIVE);
        return new Run(info, metrics, params, tags, inputs);
    }
}
