package io.capstan.tracking.function;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FieldLimits;
import io.capstan.storage.KeyPrefixes;

/**
 * Checks artifact paths from requests before they reach the store, as MLflow's {@code validate_path_is_safe}:
 * relative, no {@code .} or {@code ..} segment, no empty segment, no backslash, no control character; and, as the
 * path is the object's key, at most {@value #MAX_KEY_BYTES} bytes in UTF-8 (S3's limit on keys), each segment at most
 * {@value #MAX_SEGMENT_BYTES} (the longest file name the file systems clients download artifacts to, and the embedded
 * platform's S3 store, can hold).
 */
final class ArtifactPaths {
    /** S3's limit on an object key. */
    static final int MAX_KEY_BYTES = 1024;
    /** A file name on ext4, APFS or NTFS. */
    static final int MAX_SEGMENT_BYTES = 255;

    private ArtifactPaths() {
    }

    /**
     * A path that a client may write or delete under: anything but the registry's own copies
     * ({@code registry/...}), which are immutable once a version is registered and only the registry writes.
     *
     * @throws CapstanException PERMISSION_DENIED for a path inside (or above) the registry's copies
     */
    static String checkWritable(String path) {
        String checked = check(path);
        String registry = KeyPrefixes.REGISTRY.substring(0, KeyPrefixes.REGISTRY.length() - 1);
        if (checked.equals(registry) || checked.startsWith(KeyPrefixes.REGISTRY)) {
            throw new CapstanException(ErrorCode.PERMISSION_DENIED, "Artifact path '" + FieldLimits.shown(checked)
                    + "' is inside the model registry's copies, which are immutable: register a new model version"
                    + " instead.");
        }
        return checked;
    }

    /** A path naming an object. */
    static String check(String path) {
        if (path == null || path.isEmpty()) {
            throw CapstanException.invalidParameter("Invalid path: an artifact path is required.");
        }
        return checkFolder(path);
    }

    /** A folder path; empty means the root. A trailing slash is dropped. */
    static String checkFolder(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.isEmpty()) {
            return p;
        }
        boolean unsafe = p.startsWith("/") || p.contains("\\") || p.contains("://")
                || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (!unsafe) {
            for (String segment : p.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    unsafe = true;
                    break;
                }
            }
        }
        if (unsafe) {
            throw CapstanException.invalidParameter("Invalid path: '" + FieldLimits.shown(path) + "'. Artifact paths"
                    + " must be relative and must not contain '.', '..' or empty segments.");
        }
        FieldLimits.checkBytes("path", p, MAX_KEY_BYTES);
        for (String segment : p.split("/")) {
            int bytes = FieldLimits.utf8Length(segment);
            if (bytes > MAX_SEGMENT_BYTES) {
                throw CapstanException.invalidParameter("Invalid path: '" + FieldLimits.shown(path) + "'. The name '"
                        + FieldLimits.shown(segment) + "' is " + bytes + " bytes in UTF-8; each name in an artifact"
                        + " path is at most " + MAX_SEGMENT_BYTES + " bytes.");
            }
        }
        return p;
    }
}
