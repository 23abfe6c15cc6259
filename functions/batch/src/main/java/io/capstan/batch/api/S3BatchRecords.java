package io.capstan.batch.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capstan.batch.S3Location;
import io.capstan.storage.KeyPrefixes;
import io.capstan.store.s3.S3Reads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link BatchRecords} in S3: jobs under {@code batch/<model>/<job id>.json} of the artifact bucket. */
public final class S3BatchRecords implements BatchRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String jobsBucket;

    public S3BatchRecords(S3Client s3, String jobsBucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.jobsBucket = Objects.requireNonNull(jobsBucket, "jobsBucket");
    }

    @Override
    public void putJob(String model, String jobId, JsonNode job) {
        try {
            s3.putObject(b -> b.bucket(jobsBucket).key(key(model, jobId)).contentType("application/json"),
                    RequestBody.fromBytes(JSON.writeValueAsBytes(job)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<JsonNode> job(String model, String jobId) {
        return read(new S3Location(jobsBucket, key(model, jobId)));
    }

    @Override
    public List<JsonNode> jobs(String model, int max) {
        List<S3Object> objects = new ArrayList<>(s3.listObjectsV2Paginator(b -> b.bucket(jobsBucket)
                .prefix(KeyPrefixes.BATCH + model + "/")).contents().stream().toList());
        objects.sort(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key).reversed());
        List<JsonNode> jobs = new ArrayList<>();
        for (S3Object object : objects.subList(0, Math.min(max, objects.size()))) {
            read(new S3Location(jobsBucket, object.key())).ifPresent(jobs::add);
        }
        return jobs;
    }

    @Override
    public boolean any(S3Location prefix) {
        return !s3.listObjectsV2(b -> b.bucket(prefix.bucket()).prefix(prefix.key()).maxKeys(1)).contents().isEmpty();
    }

    @Override
    public int count(S3Location prefix) {
        int count = 0;
        for (S3Object ignored : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key()))
                .contents()) {
            count++;
        }
        return count;
    }

    @Override
    public Optional<JsonNode> read(S3Location location) {
        return S3Reads.ifPresent(s3, location.bucket(), location.key(), () -> s3.getObjectAsBytes(b -> b
                .bucket(location.bucket()).key(location.key())).asByteArray()).map(bytes -> {
                    try {
                        return JSON.readTree(bytes);
                    } catch (IOException e) {
                        throw new UncheckedIOException("reading " + location, e);
                    }
                });
    }

    private static String key(String model, String jobId) {
        return KeyPrefixes.BATCH + model + "/" + jobId + ".json";
    }
}
