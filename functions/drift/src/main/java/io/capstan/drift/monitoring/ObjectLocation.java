package io.capstan.drift.monitoring;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An object in a bucket, written {@code s3://<bucket>/<key>}.
 *
 * @param bucket the bucket
 * @param key    the key, without a leading slash
 */
public record ObjectLocation(String bucket, String key) {
    private static final String SCHEME = "s3://";
    static final int MIN_BUCKET_LENGTH = 3;
    static final int MAX_BUCKET_LENGTH = 63;
    static final int MAX_KEY_BYTES = 1024;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public ObjectLocation {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /**
     * Parses {@code s3://<bucket>/<key>}.
     *
     * @param field the request field or setting the URI came from, named in the error
     * @throws CapstanException INVALID_PARAMETER_VALUE when it is not such a URI
     */
    public static ObjectLocation parse(String uri, String field) {
        int slash = uri.startsWith(SCHEME) ? uri.indexOf('/', SCHEME.length()) : -1;
        if (slash <= SCHEME.length() || slash == uri.length() - 1) {
            throw CapstanException.invalidParameter("'" + field + "' must be s3://<bucket>/<key>, got '"
                    + FieldLimits.shown(uri) + "'.");
        }
        return new ObjectLocation(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1));
    }

    /**
     * Parses an object a request names: {@code s3://<bucket>/<key>} as {@link #parse} reads it, with a bucket name
     * as S3 allows it ({@value #MIN_BUCKET_LENGTH} to {@value #MAX_BUCKET_LENGTH} lowercase letters, digits, dots and
     * hyphens, beginning and ending with a letter or digit) and a key of at most {@value #MAX_KEY_BYTES} bytes in UTF-8
     * (S3's limit) with no control character and no {@code .}, {@code ..} or empty segment.
     *
     * @param field the request field the URI came from, named in the error
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the field and what is wrong
     */
    public static ObjectLocation fromRequest(String uri, String field) {
        FieldLimits.checkLength(field, uri, SCHEME.length() + MAX_BUCKET_LENGTH + 1 + MAX_KEY_BYTES);
        ObjectLocation location = parse(uri, field);
        if (!BUCKET.matcher(location.bucket).matches() || location.bucket.contains("..")) {
            throw CapstanException.invalidParameter("'" + field + "' names bucket '" + FieldLimits.shown(location.bucket)
                    + "', which is not a valid S3 bucket name: " + MIN_BUCKET_LENGTH + " to " + MAX_BUCKET_LENGTH
                    + " lowercase letters, digits, '.' and '-', beginning and ending with a letter or digit.");
        }
        FieldLimits.checkBytes(field + " (its key)", location.key, MAX_KEY_BYTES);
        boolean unsafe = location.key.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        for (String segment : location.key.split("/", -1)) {
            unsafe |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
        }
        if (unsafe) {
            throw CapstanException.invalidParameter("'" + field + "' must name an object: its key '"
                    + FieldLimits.shown(location.key) + "' may not end with '/' or contain '.', '..' or empty segments"
                    + " or control characters.");
        }
        return location;
    }

    /**
     * Parses an object or a prefix a request names: {@code s3://<bucket>/<key>} as {@link #fromRequest} reads it, or
     * the same ending in {@code /}, every object under it.
     */
    public static ObjectLocation objectOrPrefixFromRequest(String uri, String field) {
        if (uri.endsWith("/") && uri.length() > 1) {
            ObjectLocation folder = fromRequest(uri.substring(0, uri.length() - 1), field);
            return new ObjectLocation(folder.bucket, folder.key + "/");
        }
        return fromRequest(uri, field);
    }

    /** Whether this names every object under a prefix ({@code s3://bucket/data/}) rather than one object. */
    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** The object named {@code name} in this location taken as a folder. */
    public ObjectLocation child(String name) {
        return new ObjectLocation(bucket, key.isEmpty() || key.endsWith("/") ? key + name : key + "/" + name);
    }

    public String uri() {
        return SCHEME + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri();
    }
}
