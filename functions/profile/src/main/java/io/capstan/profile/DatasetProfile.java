package io.capstan.profile;

import io.capstan.model.ServingManifest;
import io.capstan.profile.internal.ProfileJson;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The profile of a dataset, stored as {@code profile.json} beside a model: one {@link FeatureProfile} per
 * input column, the label's distribution and, optionally, the model's predictions on the same rows.
 *
 * @param formatVersion version of the JSON layout this was read from or will be written as; at least 1
 * @param rowCount rows in the dataset
 * @param features the input columns, in model order, names unique
 * @param label the label column's profile; {@code null} for unlabelled data
 * @param predictions profiles of the model's outputs on the data (predicted label, class probabilities); may be
 *     empty
 */
public record DatasetProfile(int formatVersion, long rowCount, List<FeatureProfile> features, FeatureProfile label,
        List<FeatureProfile> predictions) {
    /** The JSON layout this code writes. */
    public static final int FORMAT_VERSION = 1;
    /** File name beside the model, as the serving manifest records its digest. */
    public static final String FILE_NAME = ServingManifest.PROFILE_FILE;

    public DatasetProfile {
        if (formatVersion < 1) {
            throw new InvalidProfileException("format_version " + formatVersion + " is not a profile version (>= 1).");
        }
        if (rowCount < 0) {
            throw new InvalidProfileException("row_count " + rowCount + " is negative.");
        }
        features = List.copyOf(Objects.requireNonNull(features, "features"));
        predictions = predictions == null ? List.of() : List.copyOf(predictions);
        Set<String> names = new HashSet<>();
        for (FeatureProfile f : features) {
            if (!names.add(f.name())) {
                throw new InvalidProfileException("Feature '" + f.name() + "' appears twice in the profile.");
            }
        }
    }

    /** Reads {@code profile.json}, ignoring fields this version does not know. */
    public static DatasetProfile fromJson(byte[] json) {
        return ProfileJson.read(json);
    }

    /** The profile as {@code profile.json} (UTF-8, indented). */
    public byte[] toJson() {
        return ProfileJson.write(this);
    }

    /** The input column or prediction profile with this name. */
    public Optional<FeatureProfile> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst()
                .or(() -> predictions.stream().filter(f -> f.name().equals(name)).findFirst());
    }

    /** The label profile, if the data had one. */
    public Optional<FeatureProfile> labelProfile() {
        return Optional.ofNullable(label);
    }
}
