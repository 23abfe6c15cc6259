package io.capstan.http;

import io.capstan.error.CapstanException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Checks of the text a request carries, made before anything is stored: no NUL character and no unpaired UTF-16
 * surrogate (neither survives storage: DynamoDB and S3 store UTF-8, which cannot encode a lone surrogate), and a
 * length limit per field. Lengths count characters as Python's {@code len} does (code points), so a limit taken from
 * MLflow's {@code validation.py} means the same here. Each failure is a 400 {@code INVALID_PARAMETER_VALUE} naming the
 * field, and for a length the limit.
 */
public final class FieldLimits {
    /** How much of a refused value an error message shows. */
    static final int SHOWN_CHARACTERS = 100;

    private FieldLimits() {
    }

    /**
     * Refuses a NUL character or an unpaired surrogate.
     *
     * @param field the request field (or path or query parameter) the value came from, named in the error
     * @return {@code value}; null stays null
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the field and the character's position
     */
    public static String checkCharacters(String field, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw CapstanException.invalidParameter("Invalid value for parameter '" + field + "': it contains a"
                        + " NUL character (U+0000) at index " + i + ". Remove it; Capstan does not store NUL"
                        + " characters.");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw CapstanException.invalidParameter("Invalid value for parameter '" + field + "': it contains"
                            + " an unpaired UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                            + ") at index " + i + ", which is not a character and cannot be stored as UTF-8. Send"
                            + " valid Unicode text.");
                }
                i++;
            }
        }
        return value;
    }

    /**
     * Refuses a value of more than {@code maxCharacters} characters (code points), and what
     * {@link #checkCharacters(String, String)} refuses. The message starts as MLflow 3's does
     * ({@code 'name' exceeds the maximum length of 500 characters}).
     *
     * @return {@code value}; null stays null
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the field and the limit
     */
    public static String checkLength(String field, String value, int maxCharacters) {
        if (value == null) {
            return null;
        }
        checkCharacters(field, value);
        // a string of n chars has at most n code points: count them only when it could be too long
        if (value.length() > maxCharacters) {
            int characters = value.codePointCount(0, value.length());
            if (characters > maxCharacters) {
                throw CapstanException.invalidParameter("'" + field + "' exceeds the maximum length of "
                        + maxCharacters + " characters (got " + characters + ").");
            }
        }
        return value;
    }

    /**
     * Refuses a value whose UTF-8 encoding is longer than {@code maxBytes} (object keys, DynamoDB keys), and what
     * {@link #checkCharacters(String, String)} refuses.
     *
     * @return {@code value}; null stays null
     * @throws CapstanException INVALID_PARAMETER_VALUE naming the field and the limit
     */
    public static String checkBytes(String field, String value, int maxBytes) {
        if (value == null) {
            return null;
        }
        checkCharacters(field, value);
        int bytes = utf8Length(value);
        if (bytes > maxBytes) {
            throw CapstanException.invalidParameter("'" + field + "' exceeds the maximum length of " + maxBytes
                    + " bytes in UTF-8 (got " + bytes + ").");
        }
        return value;
    }

    /** The length of {@code value} in UTF-8, in bytes. */
    public static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The bytes {@code tags} take together: every key and value in UTF-8. */
    public static long utf8Length(Map<String, String> tags) {
        long bytes = 0;
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            bytes += utf8Length(tag.getKey()) + utf8Length(tag.getValue());
        }
        return bytes;
    }

    /** {@code value} as an error message shows it: at most {@value #SHOWN_CHARACTERS} characters, then "...". */
    public static String shown(String value) {
        if (value == null || value.length() <= SHOWN_CHARACTERS) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(SHOWN_CHARACTERS - 1)) ? SHOWN_CHARACTERS - 1
                : SHOWN_CHARACTERS;
        return value.substring(0, end) + "... (" + value.length() + " characters)";
    }
}
