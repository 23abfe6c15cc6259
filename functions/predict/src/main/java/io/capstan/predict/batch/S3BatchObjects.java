package io.capstan.predict.batch;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link BatchObjects} on S3 (S3Proxy on the embedded platform). */
public final class S3BatchObjects implements BatchObjects {
    private final S3Client s3;

    public S3BatchObjects(S3Client s3) {
        this.s3 = Objects.requireNonNull(s3, "s3");
    }

    @Override
    public List<Listed> list(String bucket, String prefix) {
        List<Listed> objects = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.add(new Listed(object.key(), object.size()));
        }
        return objects;
    }

    @Override
    public Optional<Long> size(String bucket, String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // 403: a role whose ListBucket is held to a prefix (the batch locations) is told so for a missing key
            if (e.statusCode() == 404 || e.statusCode() == 403 && !listed(bucket, key)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean listed(String bucket, String key) {
        return s3.listObjectsV2(b -> b.bucket(bucket).prefix(key).maxKeys(1)).contents().stream()
                .anyMatch(object -> object.key().equals(key));
    }

    @Override
    public InputStream open(String bucket, String key, long from, long to) {
        String range = "bytes=" + from + "-" + (to < 0 ? "" : Long.toString(to - 1));
        return s3.getObject(b -> b.bucket(bucket).key(key).range(range));
    }

    @Override
    public void put(String bucket, String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    @Override
    public void put(String bucket, String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    @Override
    public Optional<byte[]> read(String bucket, String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 403 && !listed(bucket, key)) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
