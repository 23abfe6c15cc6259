package io.capstan.monitoring;

import io.capstan.storage.KeyPrefixes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalLong;

/**
 * Where captured traffic sketches live in the capture bucket, written by the predict function and read by the drift
 * check: {@code capture/<model>/<version>/<UTC yyyy/MM/dd/HH>/<flush time, epoch ms>-<container>.sketch}.
 */
public final class CaptureKeys {
    public static final String SUFFIX = ".sketch";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

    private CaptureKeys() {
    }

    /** The folder of one model version's captured traffic. */
    public static String versionFolder(String model, String version) {
        return KeyPrefixes.CAPTURE + model + "/" + version + "/";
    }

    /** The folder of the sketches flushed during the UTC hour holding {@code time}. */
    public static String hourFolder(String model, String version, Instant time) {
        return versionFolder(model, version) + HOUR.format(time) + "/";
    }

    /** The key of a sketch flushed at {@code flushedAt} (epoch ms) by {@code container}. */
    public static String sketch(String model, String version, long flushedAt, String container) {
        return hourFolder(model, version, Instant.ofEpochMilli(flushedAt)) + flushedAt + "-" + container + SUFFIX;
    }

    /** The flush time a sketch's key carries; empty for a key not named this way. */
    public static OptionalLong flushedAt(String key) {
        if (!key.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dash = name.indexOf('-');
        try {
            return dash > 0 ? OptionalLong.of(Long.parseLong(name.substring(0, dash))) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
