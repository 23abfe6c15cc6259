package io.capstan.drift.lambda;

import io.capstan.drift.monitoring.DriftRetraining;
import io.capstan.monitoring.RetrainingStarter;
import io.capstan.pipeline.ExecutionNames;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Starts the retraining state machine on AWS Step Functions. */
final class StepFunctionsRetrainingStarter implements RetrainingStarter {
    private final SfnClient sfn;
    private final String stateMachineArn;

    StepFunctionsRetrainingStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String modelName, String datasetBucket, String datasetKey, String reason) {
        String name = ExecutionNames.manual(modelName, DriftRetraining.TRIGGER);
        sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name)
                .input(DriftRetraining.input(modelName, datasetBucket, datasetKey, reason).toString()));
        return name;
    }
}
