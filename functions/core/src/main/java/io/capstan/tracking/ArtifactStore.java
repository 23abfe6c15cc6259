package io.capstan.tracking;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where artifacts live: object storage addressed by a relative path such as
 * {@code 1/0123abcd.../artifacts/model/model.onnx}. Paths have been checked by the caller (no {@code ..},
 * no leading slash).
 */
public interface ArtifactStore {

    void put(String path, byte[] content);

    /** The object's content, streamed, or empty when there is no object at {@code path}. */
    Optional<ArtifactContent> get(String path);

    /** The direct children of the folder {@code prefix} ({@code ""} for the root): files and sub-folders. */
    List<ArtifactEntry> list(String prefix);

    /** Every object under the folder {@code prefix} ({@code ""} for the root), at any depth, sorted by path. */
    List<ArtifactEntry> listTree(String prefix);

    /** Copies the object at {@code from} to {@code to} inside the store, without passing its bytes through the caller. */
    void copy(String from, String to);

    /** Deletes the object, or every object under the folder. */
    void delete(String path);

    /** A URL anyone holding it can GET the object from until it expires. */
    URI presignGet(String path, Duration validity);

    /** Starts a multipart upload and presigns a PUT URL for each of its {@code partCount} parts. */
    MultipartUpload createMultipartUpload(String path, int partCount, Duration validity);

    /** Completes a multipart upload from the parts' ETags. */
    void completeMultipartUpload(String path, String uploadId, List<CompletedPart> parts);

    void abortMultipartUpload(String path, String uploadId);

    /**
     * An object's content.
     *
     * @param stream the bytes; the caller closes it
     * @param size   length in bytes
     */
    record ArtifactContent(InputStream stream, long size) {
    }

    /**
     * A child of a listed folder.
     *
     * @param path  path relative to the listed folder's root (as MLflow lists it)
     * @param isDir whether it is a folder
     * @param size  bytes, 0 for folders
     */
    record ArtifactEntry(String path, boolean isDir, long size) {
    }

    /**
     * A started multipart upload.
     *
     * @param uploadId the store's upload id
     * @param parts    one presigned PUT URL per part, part numbers from 1
     */
    record MultipartUpload(String uploadId, List<PartUrl> parts) {
        public MultipartUpload {
            parts = List.copyOf(parts);
        }
    }

    /**
     * @param partNumber 1-based part number
     * @param url        presigned PUT URL for the part
     */
    record PartUrl(int partNumber, URI url) {
    }

    /**
     * @param partNumber 1-based part number
     * @param etag       the ETag the store returned for the part's PUT
     */
    record CompletedPart(int partNumber, String etag) {
    }
}
