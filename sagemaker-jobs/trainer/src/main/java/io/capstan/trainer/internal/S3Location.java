package io.capstan.trainer.internal;

import io.capstan.error.CapstanException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix} location: every object whose key starts with {@link #prefix()}.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix, without a leading slash; empty for the whole bucket
 */
public record S3Location(String bucket, String prefix) {

    // S3's rules for general-purpose bucket names: 3-63 lower-case letters, digits, dots and hyphens
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * Parses {@code s3://bucket} or {@code s3://bucket/prefix}.
     *
     * @param field the hyperparameter the URI came from, for the error message
     * @throws CapstanException with {@code INVALID_PARAMETER_VALUE} naming the field when the URI is not one
     */
    public static S3Location parse(String field, String uri) {
        String scheme = "s3://";
        if (uri == null || !uri.startsWith(scheme)) {
            throw invalid(field, uri, "it must start with s3://");
        }
        String rest = uri.substring(scheme.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!BUCKET.matcher(bucket).matches()) {
            throw invalid(field, uri, "'" + bucket + "' is not a valid bucket name (3 to 63 lower-case letters, "
                    + "digits, dots and hyphens)");
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw invalid(field, uri, "the key prefix has an empty path segment");
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of {@code name} under this location, as a folder: {@code prefix/name}. */
    public String keyFor(String name) {
        if (prefix.isEmpty()) {
            return name;
        }
        return prefix.endsWith("/") ? prefix + name : prefix + "/" + name;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }

    private static CapstanException invalid(String field, String uri, String why) {
        return CapstanException.invalidParameter("hyperparameter '" + field + "' must be an s3://bucket/prefix URI; "
                + "got '" + uri + "': " + why);
    }
}
