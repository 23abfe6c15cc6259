package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.model.ServingManifest;
import io.capstan.provenance.Sha256;
import java.util.Optional;

/**
 * The checks of a registry copy's files against the digests recorded at registration: the version records the digest
 * of its serving manifest ({@link Servability#manifestSha256()}), and the manifest those of the model and the reference
 * profile. Whoever reads a copy to serve or compare with it (the predict function, the drift check) reads through these,
 * so a file changed after registration is never used.
 */
public final class RegisteredCopy {
    private RegisteredCopy() {
    }

    /**
     * The version's serving manifest, checked against its recorded digest.
     *
     * @param manifestJson the bytes of {@value ServingManifest#FILE_NAME} in the copy; empty when there is none
     * @return empty for a version registered before manifests existed (nothing recorded, nothing stored)
     * @throws CapstanException INVALID_STATE when the manifest is gone or changed
     */
    public static Optional<ServingManifest> manifest(ModelVersion version, Optional<byte[]> manifestJson) {
        String recorded = version.serving().manifestSha256();
        if (manifestJson.isEmpty()) {
            if (!recorded.isEmpty()) {
                throw changed(version, ServingManifest.FILE_NAME + " is gone");
            }
            return Optional.empty();
        }
        require(version, ServingManifest.FILE_NAME, manifestJson.get(), recorded);
        return Optional.of(ServingManifest.fromJson(manifestJson.get()));
    }

    /**
     * The reference profile, checked against the digest the manifest records for it.
     *
     * @throws CapstanException INVALID_STATE when the manifest records a profile that is gone or changed
     */
    public static Optional<byte[]> profile(ModelVersion version, Optional<ServingManifest> manifest,
                                           Optional<byte[]> profile) {
        String recorded = manifest.map(ServingManifest::profileSha256).orElse(null);
        if (recorded != null) {
            require(version, ServingManifest.PROFILE_FILE, profile.orElseThrow(() -> changed(version,
                    ServingManifest.PROFILE_FILE + " is gone")), recorded);
        }
        return profile;
    }

    private static void require(ModelVersion version, String file, byte[] bytes, String recorded) {
        if (recorded.isEmpty()) {
            return;
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(recorded)) {
            throw changed(version, file + " has SHA-256 " + actual + " but the registry recorded " + recorded);
        }
    }

    /** A copy changed after registration: not the caller's doing, but no retry mends it (INVALID_STATE, 400). */
    public static CapstanException changed(ModelVersion version, String what) {
        return new CapstanException(ErrorCode.INVALID_STATE, "Version " + version.version() + " of model '"
                + version.name() + "' cannot be used: its registered copy was changed after registration (" + what
                + "). Register the model again as a new version.");
    }
}
