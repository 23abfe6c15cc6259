package io.capstan.drift.monitoring;

import io.capstan.error.CapstanException;
import java.util.Objects;

/**
 * An object in a bucket, written {@code s3://<bucket>/<key>}.
 *
 * @param bucket the bucket
 * @param key    the key, without a leading slash
 */
public record ObjectLocation(String bucket, String key) {
    private static final String SCHEME = "s3://";

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
            throw CapstanException.invalidParameter("'" + field + "' must be s3://<bucket>/<key>, got '" + uri + "'.");
        }
        return new ObjectLocation(uri.substring(SCHEME.length(), slash), uri.substring(slash + 1));
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
