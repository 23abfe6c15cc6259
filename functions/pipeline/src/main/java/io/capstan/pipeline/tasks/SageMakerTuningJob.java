package io.capstan.pipeline.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.error.CapstanException;
import io.capstan.pipeline.tuning.SearchDimension;
import io.capstan.pipeline.tuning.SearchStrategy;
import io.capstan.pipeline.tuning.TuningSettings;
import io.capstan.provenance.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A search as SageMaker's own hyperparameter tuning job runs it ({@code tuning.engine: sagemaker}): the
 * {@code HyperParameterTuningJobConfig} (strategy, seed, objective, limits, parameter ranges), the job's name and
 * the static hyperparameters. The objective is the trainer's {@code validation:<metric>} as its metric definitions
 * read it from the job's log (the last value), on the same validation rows as Capstan's own search.
 */
final class SageMakerTuningJob {
    /** SageMaker's limit on a categorical range's values. */
    static final int MAX_CATEGORICAL_VALUES = 30;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SageMakerTuningJob() {
    }

    /**
     * @param fixed         the hyperparameters every job gets (those the space does not vary)
     * @param jobTimeout    how long the training state waits for one job, in seconds
     */
    static ObjectNode plan(TuningSettings search, Map<String, String> fixed, String model, String execution,
                           long jobTimeout) {
        ObjectNode plan = JSON.createObjectNode().put("job_name", name(model, execution));
        plan.set("config", config(search));
        ObjectNode statics = plan.putObject("static_hyperparameters");
        fixed.forEach((key, value) -> {
            if (!search.space().has(key)) {
                statics.put(key, value);
            }
        });
        long jobs = jobs(search);
        long waves = (jobs + search.maxParallel() - 1) / search.maxParallel();
        plan.put("task_timeout_seconds", Math.min(waves * jobTimeout, TrainingJobPlan.MAX_TASK_TIMEOUT_SECONDS));
        return plan;
    }

    /** SageMaker's tuning job name ({@code [a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}}): 32 characters from the execution. */
    static String name(String model, String execution) {
        return "capstan-" + Sha256.hex((model + "/" + execution).getBytes(StandardCharsets.UTF_8)).substring(0, 24);
    }

    static ObjectNode config(TuningSettings search) {
        ObjectNode config = JSON.createObjectNode().put("Strategy", search.strategy() == SearchStrategy.GRID ? "Grid"
                : "Random").put("TrainingJobEarlyStoppingType", "Off");
        if (search.strategy() == SearchStrategy.RANDOM) {
            config.put("RandomSeed", (int) Math.floorMod(search.seed(), (long) Integer.MAX_VALUE));
        }
        config.putObject("HyperParameterTuningJobObjective").put("Type", search.maximize() ? "Maximize" : "Minimize")
                .put("MetricName", "validation:" + search.objective());
        config.putObject("ResourceLimits").put("MaxNumberOfTrainingJobs", jobs(search))
                .put("MaxParallelTrainingJobs", search.maxParallel());
        ObjectNode ranges = config.putObject("ParameterRanges");
        ArrayNode continuous = ranges.putArray("ContinuousParameterRanges");
        ArrayNode integers = ranges.putArray("IntegerParameterRanges");
        ArrayNode categorical = ranges.putArray("CategoricalParameterRanges");
        for (SearchDimension dimension : search.space().dimensions()) {
            if (search.strategy() == SearchStrategy.GRID) {
                // SageMaker's grid search takes categorical ranges only: the grid's values, as SageMaker lists them
                categories(categorical, dimension.name(), dimension.gridValues().orElseThrow());
            } else if (dimension instanceof SearchDimension.Choice choice) {
                categories(categorical, choice.name(), choice.values());
            } else if (dimension instanceof SearchDimension.Uniform uniform) {
                continuous.addObject().put("Name", uniform.name()).put("MinValue", Double.toString(uniform.low()))
                        .put("MaxValue", Double.toString(uniform.high())).put("ScalingType", "Linear");
            } else if (dimension instanceof SearchDimension.LogUniform log) {
                continuous.addObject().put("Name", log.name()).put("MinValue", Double.toString(log.low()))
                        .put("MaxValue", Double.toString(log.high())).put("ScalingType", "Logarithmic");
            } else if (dimension instanceof SearchDimension.IntegerRange range) {
                integers.addObject().put("Name", range.name()).put("MinValue", Long.toString(range.low()))
                        .put("MaxValue", Long.toString(range.high())).put("ScalingType", "Linear");
            }
        }
        return config;
    }

    private static long jobs(TuningSettings search) {
        return search.strategy() == SearchStrategy.GRID ? search.space().gridSize().longValueExact()
                : search.maxTrials();
    }

    private static void categories(ArrayNode into, String name, List<String> values) {
        if (values.size() > MAX_CATEGORICAL_VALUES) {
            throw CapstanException.invalidParameter("tuning.space." + name + " has " + values.size() + " values; a "
                    + "SageMaker tuning job takes at most " + MAX_CATEGORICAL_VALUES + " per hyperparameter (use "
                    + "tuning.engine capstan, or a range)");
        }
        ArrayNode list = into.addObject().put("Name", name).putArray("Values");
        values.forEach(list::add);
    }
}
