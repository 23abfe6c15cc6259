package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.Arrays;
import java.util.List;

/** MLflow's legacy model version stages; names compare case-insensitively and are stored canonically. */
public enum Stage {
    NONE("None"), STAGING("Staging"), PRODUCTION("Production"), ARCHIVED("Archived");

    private final String wireName;

    Stage(String wireName) {
        this.wireName = wireName;
    }

    /** The canonical name MLflow writes ({@code Production}). */
    public String wireName() {
        return wireName;
    }

    /**
     * The stage named {@code text}, in any case.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE listing the stages when there is no such stage
     */
    public static Stage parse(String text) {
        for (Stage stage : values()) {
            if (stage.wireName.equalsIgnoreCase(text)) {
                return stage;
            }
        }
        throw CapstanException.invalidParameter("Invalid Model Version stage: " + FieldLimits.shown(text)
                + ". Value must be one of " + names() + ".");
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Stage::wireName).toList();
    }
}
