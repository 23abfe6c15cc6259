package io.capstan.predict;

import io.capstan.error.CapstanException;
import io.capstan.registry.ModelSelector;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model as a request names it: a registered model's name and which of its versions to use, as the registry's
 * {@link ModelSelector}. The path segment {@code iris} means the champion, {@code iris@challenger} the alias
 * {@code challenger}, and {@code iris@v3} version 3; MLflow forbids aliases of the form {@code v<digits>}, so the last
 * form is never an alias.
 *
 * @param name     the registered model's name
 * @param selector which version: the champion (or its traffic policy), an alias or a number
 */
public record ModelReference(String name, ModelSelector selector) {
    private static final Pattern VERSION_FORM = Pattern.compile("[vV][0-9]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final int MAX_NAME_LENGTH = 256;

    public ModelReference {
        requireName(name);
        Objects.requireNonNull(selector, "selector");
    }

    public static ModelReference champion(String name) {
        return new ModelReference(name, new ModelSelector.Champion());
    }

    public static ModelReference alias(String name, String alias) {
        return new ModelReference(name, new ModelSelector.Alias(alias));
    }

    public static ModelReference version(String name, long version) {
        return new ModelReference(name, new ModelSelector.Version(version));
    }

    /**
     * Parses the {@code {name}} path segment: {@code iris}, {@code iris@challenger} or {@code iris@v3}. The last
     * {@code @} separates the selector, so a name may itself hold one.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} naming the segment and the fix
     */
    public static ModelReference parse(String segment) {
        if (segment == null || segment.isEmpty()) {
            throw CapstanException.invalidParameter("The model name in the path is empty; use /models/{name}/...,"
                    + " where {name} is iris, iris@<alias> or iris@v<version>.");
        }
        int at = segment.lastIndexOf('@');
        if (at < 0) {
            return champion(checkedName(segment, segment));
        }
        String name = checkedName(segment.substring(0, at), segment);
        String target = segment.substring(at + 1);
        if (target.isEmpty()) {
            throw CapstanException.invalidParameter("'" + segment + "' names nothing after '@'; use " + name
                    + "@<alias> or " + name + "@v<version>, e.g. " + name + "@challenger or " + name + "@v3.");
        }
        ModelSelector selector = ModelSelector.parseTarget(target);
        if (VERSION_FORM.matcher(target).matches() && !(selector instanceof ModelSelector.Version)) {
            throw CapstanException.invalidParameter("'" + segment + "' names version " + target.substring(1)
                    + ", which is out of range.");
        }
        return new ModelReference(name, selector);
    }

    /**
     * Parses the {@code {name}} and {@code {version}} segments of {@code /v2/models/{name}/versions/{version}/...}.
     *
     * @throws CapstanException {@code INVALID_PARAMETER_VALUE} when the name carries a selector of its own or the
     *                          version is not a positive number
     */
    public static ModelReference parse(String nameSegment, String versionSegment) {
        ModelReference named = parse(nameSegment);
        if (!(named.selector() instanceof ModelSelector.Champion)) {
            throw CapstanException.invalidParameter("'" + nameSegment + "' already selects a version; with"
                    + " /versions/" + versionSegment + " in the path, name the model alone ('" + named.name() + "').");
        }
        if (versionSegment == null || !DIGITS.matcher(versionSegment).matches()
                || Long.parseLong(versionSegment) < 1) {
            throw CapstanException.invalidParameter("Model version '" + versionSegment + "' is not a version number;"
                    + " versions are 1, 2, 3, ...");
        }
        return version(named.name(), Long.parseLong(versionSegment));
    }

    /** The path-segment form {@link #parse(String)} reads: {@code iris}, {@code iris@challenger}, {@code iris@v3}. */
    public String toPathSegment() {
        if (selector instanceof ModelSelector.Alias alias) {
            return name + "@" + alias.alias();
        }
        if (selector instanceof ModelSelector.Version version) {
            return name + "@v" + version.version();
        }
        return name;
    }

    @Override
    public String toString() {
        return toPathSegment();
    }

    static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a model name is 1 to " + MAX_NAME_LENGTH + " characters, not blank: "
                    + name);
        }
    }

    private static String checkedName(String name, String segment) {
        if (name.isBlank()) {
            throw CapstanException.invalidParameter("'" + segment + "' names no model before '@'; use"
                    + " <name>@<alias> or <name>@v<version>.");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw CapstanException.invalidParameter("The model name is " + name.length() + " characters long; at most "
                    + MAX_NAME_LENGTH + " are allowed.");
        }
        return name;
    }
}
