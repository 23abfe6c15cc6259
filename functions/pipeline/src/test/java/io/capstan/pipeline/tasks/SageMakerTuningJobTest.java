package io.capstan.pipeline.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SageMakerTuningJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plan_random_everyKindOfRangeAsSageMakerTakesItAndTheStaticHyperparametersWithoutTheSearchedOnes()
            throws Exception {
        PipelineSettings settings = PipelineSettings.resolve(Map.of(), Map.of("tuning.engine", "sagemaker",
                "tuning.strategy", "random", "tuning.max_trials", "12", "tuning.max_parallel", "5",
                "tuning.objective", "log_loss", "tuning.space.learning_rate", "loguniform(0.001, 1)",
                "tuning.space.cost", "uniform(0.5, 2)", "tuning.space.minibatch_size", "int(1, 64)",
                "tuning.space.algorithm", "[logistic-regression, bagging]")).validate();

        JsonNode plan = SageMakerTuningJob.plan(settings.tuning().orElseThrow(), Map.of("seed", "42",
                "cost", "1.0", "label_column", "label"), "churn", "churn-manual-1", 7_200);

        assertThat(plan.path("job_name").asText()).matches("capstan-[0-9a-f]{24}").hasSize(32);
        assertThat(JSON.readTree(plan.path("config").toString())).isEqualTo(JSON.readTree("""
                {"Strategy": "Random", "TrainingJobEarlyStoppingType": "Off", "RandomSeed": 42,
                 "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:log_loss"},
                 "ResourceLimits": {"MaxNumberOfTrainingJobs": 12, "MaxParallelTrainingJobs": 5},
                 "ParameterRanges": {
                   "ContinuousParameterRanges": [
                     {"Name": "cost", "MinValue": "0.5", "MaxValue": "2.0", "ScalingType": "Linear"},
                     {"Name": "learning_rate", "MinValue": "0.001", "MaxValue": "1.0", "ScalingType": "Logarithmic"}],
                   "IntegerParameterRanges": [
                     {"Name": "minibatch_size", "MinValue": "1", "MaxValue": "64", "ScalingType": "Linear"}],
                   "CategoricalParameterRanges": [
                     {"Name": "algorithm", "Values": ["logistic-regression", "bagging"]}]}}"""));
        assertThat(plan.path("static_hyperparameters").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("seed", "label_column");
        // three waves of five jobs, each waiting as one training state would
        assertThat(plan.path("task_timeout_seconds").asLong()).isEqualTo(3 * 7_200);
    }

    @Test
    void config_grid_isCategoricalOnlyAsSageMakersGridTakesIt() {
        PipelineSettings settings = PipelineSettings.resolve(Map.of(), Map.of("tuning.engine", "sagemaker",
                "tuning.strategy", "grid", "tuning.space.epochs", "int(2, 4)", "tuning.space.solver", "[a, b]"));

        JsonNode config = SageMakerTuningJob.config(settings.tuning().orElseThrow());

        assertThat(config.path("Strategy").asText()).isEqualTo("Grid");
        assertThat(config.has("RandomSeed")).isFalse();
        assertThat(config.at("/ResourceLimits/MaxNumberOfTrainingJobs").asInt()).isEqualTo(6);
        assertThat(config.at("/ParameterRanges/IntegerParameterRanges")).isEmpty();
        assertThat(config.at("/ParameterRanges/CategoricalParameterRanges").toString()).isEqualTo(
                "[{'Name':'epochs','Values':['2','3','4']},{'Name':'solver','Values':['a','b']}]"
                        .replace('\'', '"'));
    }

    @Test
    void config_moreCategoriesThanSageMakerTakes_isRefusedNamingTheSetting() {
        PipelineSettings settings = PipelineSettings.resolve(Map.of(), Map.of("tuning.engine", "sagemaker",
                "tuning.strategy", "grid", "tuning.max_trials", "40", "tuning.space.epochs", "int(1, 31)"));

        assertThatThrownBy(() -> SageMakerTuningJob.config(settings.tuning().orElseThrow()))
                .hasMessageStartingWith("tuning.space.epochs has 31 values; a SageMaker tuning job takes at most 30");
    }
}
