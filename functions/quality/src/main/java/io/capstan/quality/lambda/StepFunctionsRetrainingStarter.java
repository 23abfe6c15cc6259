package io.capstan.quality.lambda;

import io.capstan.monitoring.RetrainingStarter;
import io.capstan.pipeline.ExecutionNames;
import io.capstan.quality.serving.DatasetRetraining;
import software.amazon.awssdk.services.sfn.SfnClient;

/** Starts the retraining state machine on AWS Step Functions, with trigger {@value DatasetRetraining#TRIGGER}. */
final class StepFunctionsRetrainingStarter implements RetrainingStarter {
    private final SfnClient sfn;
    private final String stateMachineArn;

    StepFunctionsRetrainingStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String start(String modelName, String datasetBucket, String datasetKey, String reason) {
        String name = ExecutionNames.manual(modelName, DatasetRetraining.TRIGGER);
        sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(RetrainingStarter.input(modelName,
                DatasetRetraining.TRIGGER, datasetBucket, datasetKey, reason).toString()));
        return name;
    }
}
