package io.capstan.store.s3;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.store.s3.internal.S3Failures;
import io.capstan.tracking.ArtifactStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link ArtifactStore} on one S3 bucket; artifact paths are object keys. Works against S3 and S3-compatible
 * stores (S3Proxy, LocalStack); for those, build the client and presigner with path-style access.
 *
 * <p>Listing follows MLflow's S3 artifact repository, rooted at the bucket: {@code list("1/r/artifacts")} yields
 * {@code 1/r/artifacts/model} (a folder) and {@code 1/r/artifacts/metrics.json} (a file with its size), sorted
 * by path. A caller serving a run's artifacts strips the run's artifact root from the entries.
 *
 * <p>Every method throws {@link CapstanException} {@code TEMPORARILY_UNAVAILABLE} (retryable) when S3 fails.
 */
public final class S3ArtifactStore implements ArtifactStore {

    /** S3's limit on keys per DeleteObjects request. */
    private static final int DELETE_BATCH = 1000;
    /** S3's limit on parts per multipart upload. */
    private static final int MAX_PARTS = 10_000;
    /** Longest validity SigV4 presigning allows. */
    private static final Duration MAX_VALIDITY = Duration.ofDays(7);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    /**
     * @param s3        client for the bucket's region (path-style for S3Proxy and LocalStack)
     * @param presigner presigner configured like {@code s3}: same endpoint, region and credentials
     * @param bucket    the bucket holding the artifacts
     */
    public S3ArtifactStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must be a bucket name, got '" + bucket + "'");
        }
        this.bucket = bucket;
    }

    @Override
    public void put(String path, byte[] content) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(path), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw S3Failures.translate(e, "put object", bucket, path);
        }
    }

    /** {@inheritDoc} The stream is S3's response stream: close it promptly, it holds a connection. */
    @Override
    public Optional<ArtifactContent> get(String path) {
        try {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(b -> b.bucket(bucket).key(path));
            Long size = stream.response().contentLength();
            return Optional.of(new ArtifactContent(stream, size == null ? -1 : size));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Failures.translate(e, "get object", bucket, path);
        } catch (SdkException e) {
            throw S3Failures.translate(e, "get object", bucket, path);
        }
    }

    @Override
    public List<ArtifactEntry> list(String prefix) {
        return entries(prefix, true);
    }

    @Override
    public List<ArtifactEntry> listTree(String prefix) {
        return entries(prefix, false);
    }

    /** The objects under a folder, sorted: its direct children (sub-folders included), or every file at any depth. */
    private List<ArtifactEntry> entries(String prefix, boolean childrenOnly) {
        String folder = folderPrefix(prefix);
        List<ArtifactEntry> entries = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)
                    .delimiter(childrenOnly ? "/" : null))) {
                for (CommonPrefix sub : page.commonPrefixes()) {
                    String p = sub.prefix();
                    entries.add(new ArtifactEntry(p.substring(0, p.length() - 1), true, 0));
                }
                for (S3Object object : page.contents()) {
                    if (!object.key().endsWith("/")) { // folder marker objects are neither children nor files
                        entries.add(new ArtifactEntry(object.key(), false, object.size()));
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "list objects", bucket, folder);
        }
        entries.sort(Comparator.comparing(ArtifactEntry::path));
        return entries;
    }

    /** {@inheritDoc} S3's CopyObject: objects up to 5 GB, as MLflow's own artifact stores take them. */
    @Override
    public void copy(String from, String to) {
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
        } catch (SdkException e) {
            throw S3Failures.translate(e, "copy object to " + to + " from", bucket, from);
        }
    }

    /**
     * {@inheritDoc} Deleting a path where nothing is stored does nothing.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for the empty path (the whole store)
     */
    @Override
    public void delete(String path) {
        String exact = stripTrailingSlash(path);
        if (exact.isEmpty()) {
            throw CapstanException.invalidParameter("path must name an object or a folder to delete, got '" + path
                    + "'; deleting the whole artifact store is not supported");
        }
        String folder = folderPrefix(exact);
        List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
        try {
            // one listing finds both the object at `path` and everything under `path/`
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(exact))) {
                for (S3Object object : page.contents()) {
                    if (object.key().equals(exact) || object.key().startsWith(folder)) {
                        batch.add(ObjectIdentifier.builder().key(object.key()).build());
                        if (batch.size() == DELETE_BATCH) {
                            deleteBatch(batch);
                            batch.clear();
                        }
                    }
                }
            }
            if (!batch.isEmpty()) {
                deleteBatch(batch);
            }
        } catch (SdkException e) {
            throw S3Failures.translate(e, "delete objects", bucket, exact);
        }
    }

    @Override
    public URI presignGet(String path, Duration validity) {
        Duration checked = checkValidity(validity);
        URL url = presigner.presignGetObject(b -> b.signatureDuration(checked)
                .getObjectRequest(g -> g.bucket(bucket).key(path))).url();
        return toUri(url);
    }

    @Override
    public MultipartUpload createMultipartUpload(String path, int partCount, Duration validity) {
        if (partCount < 1 || partCount > MAX_PARTS) {
            throw CapstanException.invalidParameter("part_count must be between 1 and " + MAX_PARTS
                    + ", got " + partCount);
        }
        Duration checked = checkValidity(validity);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(path)).uploadId();
        } catch (SdkException e) {
            throw S3Failures.translate(e, "start a multipart upload", bucket, path);
        }
        List<PartUrl> parts = new ArrayList<>(partCount);
        for (int part = 1; part <= partCount; part++) {
            int number = part;
            URL url = presigner.presignUploadPart(b -> b.signatureDuration(checked)
                    .uploadPartRequest(u -> u.bucket(bucket).key(path).uploadId(uploadId).partNumber(number))).url();
            parts.add(new PartUrl(number, toUri(url)));
        }
        return new MultipartUpload(uploadId, parts);
    }

    /**
     * {@inheritDoc}
     *
     * @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown (or finished) upload id;
     *                          INVALID_PARAMETER_VALUE for parts S3 refuses (missing, wrong ETag, a part other than
     *                          the last under 5 MB)
     */
    @Override
    public void completeMultipartUpload(String path, String uploadId, List<CompletedPart> parts) {
        if (parts == null || parts.isEmpty()) {
            throw CapstanException.invalidParameter("parts must list at least one uploaded part for upload "
                    + uploadId);
        }
        List<software.amazon.awssdk.services.s3.model.CompletedPart> sorted = parts.stream()
                .sorted(Comparator.comparingInt(CompletedPart::partNumber))
                .map(p -> software.amazon.awssdk.services.s3.model.CompletedPart.builder()
                        .partNumber(p.partNumber()).eTag(p.etag()).build())
                .toList();
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(path).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(sorted).build()));
        } catch (S3Exception e) {
            throw uploadFailure(e, "complete", path, uploadId);
        } catch (SdkException e) {
            throw S3Failures.translate(e, "complete multipart upload " + uploadId, bucket, path);
        }
    }

    /** {@inheritDoc} @throws CapstanException RESOURCE_DOES_NOT_EXIST for an unknown (or finished) upload id */
    @Override
    public void abortMultipartUpload(String path, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(path).uploadId(uploadId));
        } catch (S3Exception e) {
            throw uploadFailure(e, "abort", path, uploadId);
        } catch (SdkException e) {
            throw S3Failures.translate(e, "abort multipart upload " + uploadId, bucket, path);
        }
    }

    private void deleteBatch(List<ObjectIdentifier> keys) {
        DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(List.copyOf(keys)).quiet(true)));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            var first = response.errors().get(0);
            throw new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "Could not delete " + response.errors().size() + " of " + keys.size() + " objects in s3://"
                            + bucket + ", first " + first.key() + ": " + first.code() + " " + first.message()
                            + "; retry the delete");
        }
    }

    private CapstanException uploadFailure(S3Exception e, String action, String path, String uploadId) {
        String code = S3Failures.errorCode(e);
        if (code.equals("NoSuchUpload") || e.statusCode() == 404) {
            return new CapstanException(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "No multipart upload with upload_id '" + uploadId + "' for path '" + path
                            + "': it was never started, or is already completed or aborted", e);
        }
        if (code.equals("InvalidPart") || code.equals("InvalidPartOrder") || code.equals("EntityTooSmall")
                || code.equals("MalformedXML") || e.statusCode() == 400) {
            return new CapstanException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "S3 refused to " + action + " multipart upload '" + uploadId + "' for path '" + path + "': "
                            + code + " (every part but the last must be at least 5 MB, and each part number "
                            + "must carry the ETag its upload returned)", e);
        }
        return S3Failures.translate(e, action + " multipart upload " + uploadId, bucket, path);
    }

    private static Duration checkValidity(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw CapstanException.invalidParameter("validity must be positive and at most 7 days, got "
                    + validity);
        }
        return validity;
    }

    private static String folderPrefix(String path) {
        String trimmed = stripTrailingSlash(path == null ? "" : path);
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static URI toUri(URL url) {
        try {
            return url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The S3 presigner produced an invalid URL: " + url, e);
        }
    }
}
