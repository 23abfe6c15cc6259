package io.capstan.infra.pipeline;

import java.util.List;
import software.constructs.Construct;

/**
 * How large the AWS Batch compute environments (GPU and CPU) may grow, and whether they run on Spot. They always
 * shrink to zero vCPUs: nothing runs, and nothing is billed, while no training job is queued. The vCPU limit also
 * bounds the GPUs one job may ask for: Batch places a job on one instance, and only instances within the limit are
 * launched ({@link #maxGpusPerJob()}).
 *
 * @param maxvCpus the most vCPUs each compute environment's instances may have together (a g4dn.xlarge or g5.xlarge
 *                 has 4)
 * @param spot     whether instances are Spot (cheaper, may be interrupted; the job definition retries an attempt whose
 *                 host was reclaimed)
 */
public record BatchSettings(int maxvCpus, boolean spot) {

    /** CDK context key: {@link #maxvCpus()}. */
    public static final String MAX_VCPUS_CONTEXT_KEY = "capstan:batchMaxVcpus";
    /** CDK context key: {@link #spot()} ({@code true} or {@code false}). */
    public static final String SPOT_CONTEXT_KEY = "capstan:batchSpot";
    /** Default: four xlarge GPU instances, or one 4xlarge. */
    public static final int DEFAULT_MAX_VCPUS = 16;
    /** The smallest GPU instance Capstan's job definition fits on has 4 vCPUs. */
    public static final int MIN_MAX_VCPUS = 4;
    /**
     * The sizes of the GPU families the GPU compute environment launches ({@link BatchTraining#GPU_INSTANCE_CLASSES})
     * that hold more GPUs than every smaller one: the first with 1, 4 and 8 GPUs of g4dn and g5 (AWS's accelerated
     * computing instance specifications). Every size has at least the 4 vCPUs and 14 GiB a job asks for.
     */
    public static final List<GpuInstanceType> GPU_INSTANCE_TYPES = List.of(
            new GpuInstanceType("g4dn.xlarge", 4, 1),
            new GpuInstanceType("g5.xlarge", 4, 1),
            new GpuInstanceType("g4dn.12xlarge", 48, 4),
            new GpuInstanceType("g5.12xlarge", 48, 4),
            new GpuInstanceType("g4dn.metal", 96, 8),
            new GpuInstanceType("g5.48xlarge", 192, 8));

    /**
     * One EC2 GPU instance type.
     *
     * @param name  e.g. {@code g5.12xlarge}
     * @param vcpus its vCPUs
     * @param gpus  its GPUs
     */
    public record GpuInstanceType(String name, int vcpus, int gpus) {
    }

    public BatchSettings {
        if (maxvCpus < MIN_MAX_VCPUS || maxvCpus > 10_000) {
            throw new IllegalArgumentException(MAX_VCPUS_CONTEXT_KEY + " must be within " + MIN_MAX_VCPUS
                    + "..10000 (one GPU instance has at least 4 vCPUs), was " + maxvCpus);
        }
    }

    /**
     * The most GPUs one training job may ask for: what the largest GPU instance within {@link #maxvCpus()} holds
     * (1 below 48 vCPUs, 4 below 96, 8 from 96). A job asking for more would wait in the queue for an instance the
     * compute environment never launches, so the pipeline refuses it.
     */
    public int maxGpusPerJob() {
        return GPU_INSTANCE_TYPES.stream().filter(type -> type.vcpus() <= maxvCpus)
                .mapToInt(GpuInstanceType::gpus).max()
                .orElseThrow(() -> new IllegalStateException("no GPU instance fits within " + maxvCpus + " vCPUs"));
    }

    /** Reads the context keys of {@code scope}; unset keys take the defaults (16 vCPUs, On-Demand). */
    public static BatchSettings fromContext(Construct scope) {
        Object max = scope.getNode().tryGetContext(MAX_VCPUS_CONTEXT_KEY);
        Object spot = scope.getNode().tryGetContext(SPOT_CONTEXT_KEY);
        int maxvCpus;
        try {
            maxvCpus = max == null ? DEFAULT_MAX_VCPUS : Integer.parseInt(max.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MAX_VCPUS_CONTEXT_KEY + " must be a whole number, was '" + max + "'", e);
        }
        String spotText = spot == null ? "false" : spot.toString().trim();
        if (!spotText.equals("true") && !spotText.equals("false")) {
            throw new IllegalArgumentException(SPOT_CONTEXT_KEY + " must be true or false, was '" + spot + "'");
        }
        return new BatchSettings(maxvCpus, Boolean.parseBoolean(spotText));
    }
}
