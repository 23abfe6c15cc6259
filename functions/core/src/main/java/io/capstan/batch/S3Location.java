package io.capstan.batch;

import io.capstan.error.CapstanException;
import java.util.Objects;

/**
 * An {@code s3://bucket/key} location: an object, or a prefix when the key is empty or ends with {@code /}.
 */
public record S3Location(String bucket, String key) {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /**
     * @param field the request field, named in the error
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the field when the text is not an S3 URI
     */
    public static S3Location parse(String field, String text) {
        if (text == null || !text.startsWith("s3://")) {
            throw CapstanException.invalidParameter("'" + field + "' must be an S3 URI, s3://<bucket>/<key or prefix/>,"
                    + " got " + (text == null ? "nothing" : "'" + text + "'") + ".");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw CapstanException.invalidParameter("'" + field + "' names bucket '" + bucket + "', which is not an S3"
                    + " bucket name.");
        }
        if (key.length() > 900 || key.contains("//") || key.startsWith("/")) {
            throw CapstanException.invalidParameter("'" + field + "' has a key S3 would not take as given: '" + key
                    + "'.");
        }
        return new S3Location(bucket, key);
    }

    /** Whether this names a prefix (a folder) rather than one object. */
    public boolean isPrefix() {
        return key.isEmpty() || key.endsWith("/");
    }

    /** The location of {@code relative} under this prefix. */
    public S3Location resolve(String relative) {
        return new S3Location(bucket, key + relative);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
