package io.capstan.drift.storage;

import io.capstan.drift.monitoring.DriftStorage;
import io.capstan.drift.monitoring.ObjectLocation;
import io.capstan.error.CapstanException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link DriftStorage} on Amazon S3 (S3Proxy on the embedded platform). */
public final class S3DriftStorage implements DriftStorage {
    private final S3Client s3;

    public S3DriftStorage(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<byte[]> read(ObjectLocation location) {
        return ifExists(() -> s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asByteArray());
    }

    @Override
    public Optional<BufferedReader> openText(ObjectLocation location) {
        return ifExists(() -> new BufferedReader(new InputStreamReader(s3.getObject(b -> b.bucket(location.bucket())
                .key(location.key())), StandardCharsets.UTF_8), 1 << 16));
    }

    @Override
    public InputStream openRange(ObjectLocation location, long from, long to) {
        return ifExists(() -> (InputStream) s3.getObject(b -> b.bucket(location.bucket()).key(location.key())
                .range("bytes=" + from + "-" + (to - 1)))).orElseThrow(() -> CapstanException.notFound("The object "
                + location + " is gone."));
    }

    /**
     * The objects; none when the bucket does not exist.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the bucket when Capstan may not list it
     */
    @Override
    public List<StoredObject> list(String bucket, String prefix) {
        try {
            List<StoredObject> objects = new ArrayList<>();
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                objects.add(new StoredObject(new ObjectLocation(bucket, object.key()), object.size(),
                        object.lastModified().toEpochMilli()));
            }
            return objects;
        } catch (NoSuchBucketException e) {
            return List.of();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return List.of();
            }
            if (e.statusCode() == 403) {
                throw CapstanException.invalidParameter("Capstan may not read bucket '" + bucket + "': drift checks"
                        + " read the dataset, artifact and capture buckets of the deployment; copy the data into the"
                        + " dataset bucket.");
            }
            throw e;
        }
    }

    /**
     * The result of a GET, or empty when the object does not exist or may not be read: S3 answers 403 for a missing
     * key to a caller without {@code s3:ListBucket}, so the two cannot be told apart, and neither is a storage failure.
     */
    private static <T> Optional<T> ifExists(Supplier<T> get) {
        try {
            return Optional.of(get.get());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void write(ObjectLocation location, byte[] content, String contentType) {
        s3.putObject(b -> b.bucket(location.bucket()).key(location.key()).contentType(contentType),
                RequestBody.fromBytes(content));
    }
}
