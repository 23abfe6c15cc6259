package io.capstan.tracking;

/** MLflow's run status. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
}
