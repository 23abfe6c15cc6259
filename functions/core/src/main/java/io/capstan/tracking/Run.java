package io.capstan.tracking;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run with its data: the current value of each metric, the params, the tags and the logged inputs.
 *
 * @param info    run metadata
 * @param metrics the current point of each metric (see {@link Metric#LATEST_ORDER}), one per key
 * @param params  params, immutable once logged
 * @param tags    tags
 * @param inputs  datasets logged as inputs
 */
public record Run(RunInfo info, List<Metric> metrics, Map<String, String> params, Map<String, String> tags,
                  List<DatasetInput> inputs) {
    public Run {
        Objects.requireNonNull(info, "info");
        metrics = List.copyOf(metrics);
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        inputs = List.copyOf(inputs);
    }

    public Optional<Metric> metric(String key) {
        return metrics.stream().filter(m -> m.key().equals(key)).findFirst();
    }
}
