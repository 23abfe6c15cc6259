package io.capstan.batch;

import java.util.Locale;

/**
 * Where a job writes under its output prefix: one part per chunk, {@code part-00000.csv}, ..., and its own records
 * under {@code _capstan/}: each chunk's result as it finishes ({@code _capstan/chunks/00000.json}, which the job's
 * progress counts), the plan the state machine's Map reads its chunks from ({@code _capstan/plan.json}) and the manifest
 * once the job ends ({@code _capstan/manifest.json}).
 */
public final class BatchKeys {
    public static final String RECORDS = "_capstan/";
    public static final String CHUNKS = RECORDS + "chunks/";
    public static final String MANIFEST = RECORDS + "manifest.json";
    public static final String PLAN = RECORDS + "plan.json";

    private BatchKeys() {
    }

    /** The output part of chunk {@code index}. */
    public static S3Location part(BatchJob job, int index) {
        return job.output().resolve(String.format(Locale.ROOT, "part-%05d%s", index, job.format().extension()));
    }

    /** The result record of chunk {@code index}. */
    public static S3Location chunkResult(BatchJob job, int index) {
        return job.output().resolve(CHUNKS + String.format(Locale.ROOT, "%05d.json", index));
    }

    /** The job's chunks as a JSON array: the Distributed Map's S3 ItemReader reads them. */
    public static S3Location plan(BatchJob job) {
        return job.output().resolve(PLAN);
    }

    public static S3Location manifest(BatchJob job) {
        return job.output().resolve(MANIFEST);
    }
}
