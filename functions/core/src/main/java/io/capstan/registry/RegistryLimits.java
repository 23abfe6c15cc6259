package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.Map;

/**
 * The registry's input limits, checked before anything is stored: MLflow's where it has them (the columns of its SQL
 * store, {@code mlflow/store/model_registry/dbmodels/models.py}, and {@code validation.py}), Capstan's where MLflow has
 * none (reasons, tags together). Each check throws {@code INVALID_PARAMETER_VALUE} naming the field and the limit.
 */
public final class RegistryLimits {
    /** {@code registered_models.name}, {@code String(256)}. */
    public static final int MAX_NAME_LENGTH = 256;
    /** {@code registered_models.description} and {@code model_versions.description}, {@code String(5000)}. */
    public static final int MAX_DESCRIPTION_LENGTH = 5000;
    /** {@code model_versions.source}, {@code String(500)}. */
    public static final int MAX_SOURCE_LENGTH = 500;
    /** {@code model_versions.run_link}, {@code String(500)}. */
    public static final int MAX_RUN_LINK_LENGTH = 500;
    /** A run id as MLflow's {@code _RUN_ID_REGEX} allows it. */
    public static final int MAX_RUN_ID_LENGTH = 256;
    /** MLflow 2's {@code MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH} ({@code registered_model_tags.value}, String(5000)). */
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    /** Capstan's: a model's or a version's tags, keys and values in UTF-8, share its DynamoDB item (400 KB). */
    public static final int MAX_TAGS_BYTES = 200_000;
    /** Capstan's: the {@code reason} of an alias, stage or traffic change, kept in its audit event. */
    public static final int MAX_REASON_LENGTH = 1000;

    private RegistryLimits() {
    }

    /**
     * Checks a registered model name. Names end up in prediction URLs ({@code /models/<name>@<alias>/invocations}) and
     * in object keys ({@code registry/<name>/...}), hence the stricter rule than MLflow 2's: not empty, no {@code /},
     * {@code @} or control character, not {@code .} or {@code ..} (MLflow 3 refuses those too), at most
     * {@value #MAX_NAME_LENGTH} characters.
     *
     * @param field the request field the name came from, named in the error
     * @return {@code name}
     */
    public static String checkModelName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw CapstanException.invalidParameter("Registered model name cannot be empty.");
        }
        FieldLimits.checkCharacters(field, name);
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(c -> c == '/' || c == '@' || c < 0x20)
                || name.equals(".") || name.equals("..")) {
            throw CapstanException.invalidParameter("Invalid registered model name '" + FieldLimits.shown(name)
                    + "' (parameter '" + field + "'): Capstan serves models at /models/<name>, so a name may not"
                    + " contain '/', '@' or control characters, may not be '.' or '..', and is at most "
                    + MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }

    /** Checks a description: at most {@value #MAX_DESCRIPTION_LENGTH} characters. */
    public static String checkDescription(String description) {
        return FieldLimits.checkLength("description", description, MAX_DESCRIPTION_LENGTH);
    }

    /** Checks the reason given for a change: at most {@value #MAX_REASON_LENGTH} characters. */
    public static String checkReason(String reason) {
        return FieldLimits.checkLength("reason", reason, MAX_REASON_LENGTH);
    }

    /**
     * Checks the tags a model or a version would hold together: at most {@value #MAX_TAGS_BYTES} bytes of keys and
     * values in UTF-8.
     *
     * @param owner names the model or version in the message
     */
    public static void checkTagsSize(String owner, Map<String, String> tags) {
        long bytes = FieldLimits.utf8Length(tags);
        if (bytes > MAX_TAGS_BYTES) {
            throw CapstanException.invalidParameter("The tags of " + owner + " would take " + bytes + " bytes; the tags"
                    + " of a registered model or a model version (keys and values in UTF-8) are limited to "
                    + MAX_TAGS_BYTES + " bytes together. Delete tags or shorten values.");
        }
    }
}
