package io.capstan.infra.pipeline;

import software.constructs.Construct;

/**
 * How large the AWS Batch GPU compute environment may grow, and whether it runs on Spot. It always shrinks to zero
 * vCPUs: nothing runs, and nothing is billed, while no training job is queued.
 *
 * @param maxvCpus the most vCPUs its instances may have together (a g4dn.xlarge or g5.xlarge has 4)
 * @param spot     whether instances are Spot (cheaper, may be interrupted; the state machine retries capacity errors)
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

    public BatchSettings {
        if (maxvCpus < MIN_MAX_VCPUS || maxvCpus > 10_000) {
            throw new IllegalArgumentException(MAX_VCPUS_CONTEXT_KEY + " must be within " + MIN_MAX_VCPUS
                    + "..10000 (one GPU instance has at least 4 vCPUs), was " + maxvCpus);
        }
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
