package io.capstan.infra.api;

import io.capstan.http.RouteTable;
import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.pipeline.BatchLocationSettings;
import io.capstan.infra.storage.StorageResources;
import java.util.Objects;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;

/**
 * What the API stack is built from.
 *
 * @param storage    the table and buckets, as typed references from the storage stack
 * @param routes     the route table; one function per {@link io.capstan.http.FunctionId} it names
 * @param code       where the function jars are
 * @param retraining the retraining state machine (from the pipeline stack), which the pipeline API operates and the
 *                   drift function starts
 * @param batchPredictions the batch prediction state machine (from the pipeline stack), which the batch API starts
 * @param batchLocations   where batch jobs may read and write (the batch API reads their progress there)
 * @param driftProfiles    the distributed drift check's state machine (from the pipeline stack), which the drift
 *                         function starts for a dataset too large for itself
 */
public record ApiStackProps(StorageResources storage, RouteTable routes, FunctionCode code, IStateMachine retraining,
                            IStateMachine batchPredictions, BatchLocationSettings batchLocations,
                            IStateMachine driftProfiles) {

    public ApiStackProps {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(retraining, "retraining");
        Objects.requireNonNull(batchPredictions, "batchPredictions");
        Objects.requireNonNull(batchLocations, "batchLocations");
        Objects.requireNonNull(driftProfiles, "driftProfiles");
        if (routes.routes().isEmpty()) {
            throw new IllegalArgumentException("the route table is empty: an API needs at least one route");
        }
    }
}
