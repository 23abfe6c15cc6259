package io.capstan.predict;

import java.util.Optional;

/**
 * Where a resolved version's reference profile ({@code profile.json}, written by Capstan's trainer and copied by the
 * registry beside the model) comes from. The predict function reads it once per container and version, to capture
 * traffic in the reference's columns.
 */
@FunctionalInterface
public interface ReferenceProfileSource {
    /** A version without a reference profile (a model registered from elsewhere). */
    ReferenceProfileSource NONE = Optional::empty;

    /**
     * The bytes of {@code profile.json}; empty when the version has none.
     *
     * @throws io.capstan.error.CapstanException {@code TEMPORARILY_UNAVAILABLE} (retryable) when it cannot be read now
     */
    Optional<byte[]> fetch();
}
