package io.capstan.infra.pipeline;

import io.capstan.infra.function.FunctionCode;
import io.capstan.infra.storage.StorageResources;
import java.util.Objects;

/**
 * What the pipeline stack is built from.
 *
 * @param storage the table and buckets, as typed references from the storage stack
 * @param code    where the function jars are
 * @param sources the state machine definition and the trainer's Docker build context
 * @param batch   the size of the GPU compute environment
 * @param batchLocations where batch prediction jobs may read and write
 */
public record PipelineStackProps(StorageResources storage, FunctionCode code, PipelineSources sources,
                                 BatchSettings batch, BatchLocationSettings batchLocations) {

    public PipelineStackProps {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(batchLocations, "batchLocations");
    }
}
