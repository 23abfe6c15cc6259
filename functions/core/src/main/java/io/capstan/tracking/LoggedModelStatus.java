package io.capstan.tracking;

import io.capstan.error.CapstanException;
import java.util.Arrays;

/**
 * The status of a logged model, as MLflow's {@code LoggedModelStatus}: created {@link #PENDING} while its files
 * upload, then finalized {@link #READY} or {@link #FAILED}.
 */
public enum LoggedModelStatus {
    UNSPECIFIED("LOGGED_MODEL_STATUS_UNSPECIFIED"),
    PENDING("LOGGED_MODEL_PENDING"),
    READY("LOGGED_MODEL_READY"),
    FAILED("LOGGED_MODEL_UPLOAD_FAILED");

    private final String wireName;

    LoggedModelStatus(String wireName) {
        this.wireName = wireName;
    }

    /** MLflow's JSON form, e.g. {@code LOGGED_MODEL_READY}. */
    public String wireName() {
        return wireName;
    }

    /** The protobuf number (0 to 3), which is also what MLflow's search filters compare {@code status} with. */
    public int number() {
        return ordinal();
    }

    /**
     * The status a request names, by its JSON name or its protobuf number.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE naming {@code field} for anything else
     */
    public static LoggedModelStatus parse(String value, String field) {
        for (LoggedModelStatus status : values()) {
            if (status.wireName.equals(value) || Integer.toString(status.number()).equals(value)) {
                return status;
            }
        }
        throw CapstanException.invalidParameter("Invalid value \"" + value + "\" for parameter '" + field
                + "' supplied. Valid values are " + Arrays.stream(values()).map(LoggedModelStatus::wireName).toList()
                + " or their numbers 0 to 3.");
    }
}
