package io.capstan.pipeline.tasks;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The training jobs of a SageMaker hyperparameter tuning job ({@code ListTrainingJobsForHyperParameterTuningJob}),
 * which the pipeline records as trials: SageMaker in AWS, the local trainer's record on the embedded platform.
 */
public interface TuningJobs {
    /** Where no tuning job can run: every lookup fails the task, saying so. */
    TuningJobs NONE = name -> {
        throw new TaskFailure("TuningJobUnavailable", "SageMaker's hyperparameter tuning jobs cannot be read here",
                "");
    };

    /**
     * One training job of a tuning job.
     *
     * @param name            the training job's name
     * @param status          SageMaker's {@code TrainingJobStatus}: {@code Completed}, {@code Failed}, {@code Stopped}
     * @param tuned           the hyperparameters the tuning job chose for it
     * @param objective       its final objective metric; empty when it has none (failed)
     * @param failureReason   why it failed; empty otherwise
     */
    record TrainingJob(String name, String status, Map<String, String> tuned, OptionalDouble objective,
                       String failureReason) {
        public TrainingJob {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            tuned = Map.copyOf(tuned);
            failureReason = failureReason == null ? "" : failureReason;
        }
    }

    /** Every training job of the tuning job, in the order they were created. */
    List<TrainingJob> trainingJobs(String tuningJobName);
}
