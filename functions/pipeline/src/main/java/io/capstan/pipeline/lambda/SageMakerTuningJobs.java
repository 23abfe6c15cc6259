package io.capstan.pipeline.lambda;

import io.capstan.pipeline.tasks.TaskFailure;
import io.capstan.pipeline.tasks.TemporarilyUnavailable;
import io.capstan.pipeline.tasks.TuningJobs;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;

/** {@link TuningJobs} from SageMaker's {@code ListTrainingJobsForHyperParameterTuningJob}, every page. */
final class SageMakerTuningJobs implements TuningJobs {
    private final SageMakerClient sageMaker;

    SageMakerTuningJobs(SageMakerClient sageMaker) {
        this.sageMaker = sageMaker;
    }

    /**
     * @throws TemporarilyUnavailable when SageMaker throttles or fails (the state machine retries the task)
     * @throws TaskFailure            {@code TuningJobUnavailable} when SageMaker refuses the request
     */
    @Override
    public List<TrainingJob> trainingJobs(String tuningJobName) {
        try {
            return list(tuningJobName);
        } catch (AwsServiceException e) {
            if (e.isThrottlingException() || e.statusCode() >= 500) {
                throw new TemporarilyUnavailable("SageMaker could not list the training jobs of " + tuningJobName
                        + ": " + e.getMessage(), e);
            }
            throw new TaskFailure("TuningJobUnavailable", "SageMaker refused to list the training jobs of "
                    + tuningJobName + ": " + e.getMessage(), "");
        } catch (SdkClientException e) {
            throw new TemporarilyUnavailable("SageMaker could not be reached: " + e.getMessage(), e);
        }
    }

    private List<TrainingJob> list(String tuningJobName) {
        return sageMaker.listTrainingJobsForHyperParameterTuningJobPaginator(b -> b
                        .hyperParameterTuningJobName(tuningJobName).maxResults(100)).trainingJobSummaries().stream()
                .sorted(Comparator.comparing(HyperParameterTrainingJobSummary::creationTime))
                .map(s -> new TrainingJob(s.trainingJobName(), s.trainingJobStatusAsString(),
                        s.tunedHyperParameters(), s.finalHyperParameterTuningJobObjectiveMetric() == null
                                ? OptionalDouble.empty()
                                : OptionalDouble.of(s.finalHyperParameterTuningJobObjectiveMetric().value()),
                        s.failureReason()))
                .toList();
    }
}
