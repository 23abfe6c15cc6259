package io.capstan.tracking;

/** Which lifecycle stages a search returns, as MLflow's {@code ViewType}. */
public enum ViewType {
    ACTIVE_ONLY, DELETED_ONLY, ALL;

    public boolean includes(LifecycleStage stage) {
        return switch (this) {
            case ACTIVE_ONLY -> stage == LifecycleStage.ACTIVE;
            case DELETED_ONLY -> stage == LifecycleStage.DELETED;
            case ALL -> true;
        };
    }
}
