package io.capstan.tracking;

import java.util.List;
import java.util.Map;

/**
 * What one log call adds to a run: metric points, params and tags. Written atomically: all of it or none.
 *
 * @param metrics metric points, in the order the client sent them
 * @param params  params to add; a key already logged must keep its value
 * @param tags    tags to set or overwrite
 */
public record RunLog(List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
    public RunLog {
        metrics = List.copyOf(metrics);
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
    }

    public boolean isEmpty() {
        return metrics.isEmpty() && params.isEmpty() && tags.isEmpty();
    }
}
