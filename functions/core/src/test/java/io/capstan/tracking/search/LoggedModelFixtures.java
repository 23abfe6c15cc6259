package io.capstan.tracking.search;

import io.capstan.tracking.LifecycleStage;
import io.capstan.tracking.LoggedModel;
import io.capstan.tracking.LoggedModelStatus;
import io.capstan.tracking.Metric;
import io.capstan.tracking.ModelMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

// Logged models for search tests, built field by field.
final class LoggedModelFixtures {

    private LoggedModelFixtures() {
    }

    static Builder model(String modelId) {
        return new Builder(modelId);
    }

    static final class Builder {
        private final String modelId;
        private String name = "model";
        private long created = 1000;
        private LoggedModelStatus status = LoggedModelStatus.READY;
        private String modelType = "";
        private final Map<String, String> tags = new HashMap<>();
        private final Map<String, String> params = new HashMap<>();
        private final List<ModelMetric> metrics = new ArrayList<>();

        private Builder(String modelId) {
            this.modelId = modelId;
        }

        Builder name(String value) {
            name = value;
            return this;
        }

        Builder created(long value) {
            created = value;
            return this;
        }

        Builder status(LoggedModelStatus value) {
            status = value;
            return this;
        }

        Builder modelType(String value) {
            modelType = value;
            return this;
        }

        Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        Builder param(String key, String value) {
            params.put(key, value);
            return this;
        }

        Builder metric(String key, double value, long timestamp, long step) {
            return metric(key, value, timestamp, step, null, null);
        }

        Builder metric(String key, double value, long timestamp, long step, String dataset, String digest) {
            metrics.add(new ModelMetric(modelId, "run", new Metric(key, value, timestamp, step), dataset, digest));
            return this;
        }

        LoggedModel build() {
            return new LoggedModel(modelId, "1", name, "mlflow-artifacts:/1/models/" + modelId + "/artifacts", created,
                    created, status, LifecycleStage.ACTIVE, modelType, "run", tags, params, metrics);
        }
    }
}
