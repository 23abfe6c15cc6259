package io.capstan.pipeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Execution names: Step Functions wants at most 80 of {@code [A-Za-z0-9_-]}, unique per state machine for 90 days.
 * An upload's execution is named after the model and a hash of the object version, so the same object version can
 * only ever name one execution; a manual start gets a random suffix.
 */
public final class ExecutionNames {
    /** What follows a model's prefix: {@code upload-<20 hex>}, or {@code <trigger>-<16 hex>}. */
    private static final Pattern SUFFIX = Pattern.compile("upload-[0-9a-f]{20}|[a-z0-9]*-[0-9a-f]{16}");

    private ExecutionNames() {
    }

    /** The execution an upload (bucket, key, object version) starts. */
    public static String forUpload(String model, String bucket, String key, String objectVersion) {
        return prefix(model) + "-upload-" + hash(bucket + "/" + key + "#" + objectVersion);
    }

    /** A manually started execution. */
    public static String manual(String model, String trigger) {
        return prefix(model) + "-" + trigger.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /**
     * Whether {@code execution} belongs to {@code model} by its name (Step Functions lists by state machine only): the
     * model's prefix followed by exactly what {@link #forUpload} or {@link #manual} put after it, so the executions of
     * {@code churn-v2} never count as {@code churn}'s.
     */
    public static boolean belongsTo(String execution, String model) {
        String prefix = prefix(model) + "-";
        return execution.startsWith(prefix) && SUFFIX.matcher(execution).region(prefix.length(), execution.length())
                .matches();
    }

    private static String prefix(String model) {
        String clean = model.replaceAll("[^A-Za-z0-9_-]", "_");
        return clean.length() <= 40 ? clean : clean.substring(0, 31) + "-" + hash(model).substring(0, 8);
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
