package io.capstan.quality.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link QualityStorage} on one S3 bucket, the capture bucket (S3Proxy on the embedded platform). */
public final class S3QualityStorage implements QualityStorage {
    private final S3Client s3;
    private final String bucket;

    public S3QualityStorage(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the capture bucket is blank: set "
                    + io.capstan.storage.BucketDefinition.CAPTURE.nameEnvVar());
        }
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    @Override
    public List<StoredObject> objects(String prefix) {
        List<StoredObject> objects = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.add(new StoredObject(object.key(), object.size()));
        }
        return objects;
    }

    @Override
    public List<String> folders(String prefix) {
        List<String> folders = new ArrayList<>();
        for (CommonPrefix folder : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/"))
                .commonPrefixes()) {
            folders.add(folder.prefix().substring(prefix.length()));
        }
        return folders;
    }

    @Override
    public void download(String key, Path target) {
        s3.getObject(b -> b.bucket(bucket).key(key), target);
    }

    @Override
    public Optional<String> newest(String bucket, String prefix, java.util.function.Predicate<String> keys) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(object -> keys.test(object.key()))
                .max(Comparator.comparing(S3Object::lastModified).thenComparing(S3Object::key)).map(S3Object::key);
    }

    @Override
    public Optional<InputStream> open(String bucket, String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
