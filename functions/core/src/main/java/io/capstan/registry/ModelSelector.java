package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.http.FieldLimits;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which version of a registered model a caller means: its champion, an alias, or a pinned version. Written as
 * MLflow writes model URIs without the scheme: {@code iris} (the champion), {@code iris@challenger} (an alias),
 * {@code iris@v3} (version 3 — MLflow forbids aliases of the form {@code v<digits>}, so this is unambiguous).
 */
public sealed interface ModelSelector permits ModelSelector.Champion, ModelSelector.Alias, ModelSelector.Version {

    /** The alias that serves a model when the caller names no alias or version. */
    String CHAMPION = "champion";

    /** Alias names: MLflow's rules (letters, digits, {@code _ -}, at most 255 characters), not {@code v<digits>}. */
    Pattern ALIAS = Pattern.compile("[A-Za-z0-9_\\-]{1,255}");
    Pattern VERSION_REFERENCE = Pattern.compile("[vV](\\d{1,18})");

    /** The model's champion (its {@value #CHAMPION} alias), or its traffic policy when it has one. */
    record Champion() implements ModelSelector {
    }

    /** The version an alias points at. */
    record Alias(String alias) implements ModelSelector {
        public Alias {
            Objects.requireNonNull(alias, "alias");
        }
    }

    /** A pinned version number. */
    record Version(long version) implements ModelSelector {
    }

    /**
     * A traffic-policy target or selector suffix: an alias or {@code v<N>}.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for anything else
     */
    static ModelSelector parseTarget(String text) {
        var version = VERSION_REFERENCE.matcher(text);
        if (version.matches()) {
            long number = Long.parseLong(version.group(1));
            if (number < 1) {
                throw CapstanException.invalidParameter("Version references start at v1; got '"
                        + FieldLimits.shown(text) + "'.");
            }
            return new Version(number);
        }
        if (!ALIAS.matcher(text).matches()) {
            throw CapstanException.invalidParameter("'" + FieldLimits.shown(text) + "' is neither an alias (letters, digits, '_' and"
                    + " '-', at most 255 characters) nor a version reference such as v3.");
        }
        return new Alias(text);
    }

    /**
     * Checks an alias name as MLflow does.
     *
     * @throws CapstanException INVALID_PARAMETER_VALUE for an invalid or reserved name
     */
    static String checkAliasName(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw CapstanException.invalidParameter("Invalid alias name: '" + FieldLimits.shown(alias) + "'. Aliases"
                    + " may only contain alphanumerics, underscores (_) and dashes (-), up to 255 characters.");
        }
        if (VERSION_REFERENCE.matcher(alias).matches() || alias.equalsIgnoreCase("latest")) {
            throw CapstanException.invalidParameter("Invalid alias name: '" + alias + "'. Aliases cannot be"
                    + " 'latest' or of the form 'v<number>', which refer to versions.");
        }
        return alias;
    }
}
