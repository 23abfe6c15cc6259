package io.capstan.pipeline;

import io.capstan.storage.KeyPrefixes;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a model's training datasets are uploaded: {@code datasets/<model>/[folders/]<name>.csv} in the dataset
 * bucket. An upload there starts retraining; a drift-triggered retraining takes the newest one.
 */
public final class DatasetUploads {
    /** Uploads under this prefix of the dataset bucket are datasets. */
    public static final String PREFIX = KeyPrefixes.DATASETS;

    private DatasetUploads() {
    }

    /** The folder of a model's datasets. */
    public static String prefixOf(String model) {
        return PREFIX + model + "/";
    }

    /** Whether a key names a dataset file (CSV). */
    public static boolean isDataset(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith(".csv");
    }

    /** The model an uploaded key is a dataset of; empty when the key is not a dataset. */
    public static Optional<String> modelOf(String key) {
        if (!key.startsWith(PREFIX) || !isDataset(key)) {
            return Optional.empty();
        }
        String rest = key.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        return Optional.of(rest.substring(0, slash));
    }
}
