package io.capstan.predict.batch;

import io.capstan.store.s3.S3Reads;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
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
        return S3Reads.ifPresent(s3, bucket, key, () -> s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
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
        return S3Reads.ifPresent(s3, bucket, key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key))
                .asByteArray());
    }
}
