package io.capstan.tracking;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A run with its data: the current value of each metric, the params, the tags, the logged inputs and the logged
 * models it used and produced.
 *
 * @param info         run metadata
 * @param metrics      the current point of each metric (see {@link Metric#LATEST_ORDER}), one per key
 * @param params       params, immutable once logged
 * @param tags         tags
 * @param inputs       datasets logged as inputs
 * @param modelInputs  ids of the logged models logged as inputs, in logging order (as MLflow's {@code model_inputs})
 * @param modelOutputs the logged models the run produced, in logging order (as MLflow's {@code model_outputs})
 */
public record Run(RunInfo info, List<Metric> metrics, Map<String, String> params, Map<String, String> tags,
                  List<DatasetInput> inputs, List<String> modelInputs, List<ModelOutput> modelOutputs) {
    public Run {
        Objects.requireNonNull(info, "info");
        metrics = List.copyOf(metrics);
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        inputs = List.copyOf(inputs);
        modelInputs = List.copyOf(modelInputs);
        modelOutputs = List.copyOf(modelOutputs);
    }

    /** A run that has no model inputs or outputs. */
    public Run(RunInfo info, List<Metric> metrics, Map<String, String> params, Map<String, String> tags,
               List<DatasetInput> inputs) {
        this(info, metrics, params, tags, inputs, List.of(), List.of());
    }

    public Optional<Metric> metric(String key) {
        return metrics.stream().filter(m -> m.key().equals(key)).findFirst();
    }
}
