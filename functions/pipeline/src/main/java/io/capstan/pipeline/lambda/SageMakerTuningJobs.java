package io.capstan.pipeline.lambda;

import io.capstan.pipeline.tasks.TuningJobs;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.HyperParameterTrainingJobSummary;

/** {@link TuningJobs} from SageMaker's {@code ListTrainingJobsForHyperParameterTuningJob}, every page. */
final class SageMakerTuningJobs implements TuningJobs {
    private final SageMakerClient sageMaker;

    SageMakerTuningJobs(SageMakerClient sageMaker) {
        this.sageMaker = sageMaker;
    }

    @Override
    public List<TrainingJob> trainingJobs(String tuningJobName) {
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
