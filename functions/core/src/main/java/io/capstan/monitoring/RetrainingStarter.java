package io.capstan.monitoring;

/** Starts the retraining state machine for a model on a dataset (Step Functions in AWS, the local runner locally). */
@FunctionalInterface
public interface RetrainingStarter {

    /**
     * Starts an execution with trigger {@code drift}.
     *
     * @return the execution's name
     */
    String start(String modelName, String datasetBucket, String datasetKey, String reason);
}
