package io.capstan.trainer;

import io.capstan.model.TrainerMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.trainer.internal.Algorithm;
import io.capstan.trainer.internal.HyperParameterSpec;
import io.capstan.trainer.internal.HyperParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's hyperparameter table and metric definitions follow the code's tables. */
class ReadmeTest {

    private static final Path README = Path.of("README.md");

    @Test
    void readme_everyHyperparameter_rowWithItsDefaultAndAlgorithms() throws IOException {
        String readme = Files.readString(README);

        for (HyperParameterSpec spec : HyperParameters.SPECS) {
            String applies = spec.appliesTo().size() == Algorithm.values().length ? "all"
                    : Arrays.stream(Algorithm.values()).filter(spec.appliesTo()::contains).map(Algorithm::id)
                    .collect(Collectors.joining(", "));
            String defaultValue = spec.defaultValue() == null ? "—" : "`" + spec.defaultValue() + "`";
            assertThat(readme).contains("| `" + spec.name() + "` | " + defaultValue + " | " + applies + " | "
                    + spec.description() + " |");
        }
    }

    @Test
    void readme_everyMetricDefinition_listedAsJson() throws IOException {
        String readme = Files.readString(README);

        for (TrainerMetrics.MetricDefinition definition : TrainerMetrics.METRIC_DEFINITIONS) {
            assertThat(readme).contains("{\"Name\": \"" + definition.name() + "\", \"Regex\": \""
                    + definition.regex() + "\"}");
        }
    }
}
