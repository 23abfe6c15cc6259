package io.capstan.tracking;

import java.util.Map;
import java.util.Objects;

/**
 * A dataset logged as a run's input, with its input tags (e.g. {@code mlflow.data.context=training}).
 *
 * @param dataset the dataset
 * @param tags    input tags
 */
public record DatasetInput(Dataset dataset, Map<String, String> tags) {
    public DatasetInput {
        Objects.requireNonNull(dataset, "dataset");
        tags = Map.copyOf(tags);
    }
}
