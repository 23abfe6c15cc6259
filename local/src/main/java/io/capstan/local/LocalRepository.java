package io.capstan.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the repository this platform was built from is: the embedded platform runs the trainer and the state
 * machine definition from it. Found from the {@code capstan.home} system property, else from where this code was
 * loaded ({@code local/target/...}), else from the working directory, walking up to the folder holding
 * {@code step-functions/} and {@code sagemaker-jobs/}.
 */
final class LocalRepository {
    private LocalRepository() {
    }

    static Optional<Path> locate() {
        String home = System.getProperty("capstan.home");
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home).toAbsolutePath().normalize());
        }
        try {
            Path code = Path.of(LocalRepository.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Optional<Path> fromCode = walkUp(code);
            if (fromCode.isPresent()) {
                return fromCode;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no usable code source: try the working directory
        }
        return walkUp(Path.of("").toAbsolutePath());
    }

    private static Optional<Path> walkUp(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("step-functions")) && Files.isDirectory(dir.resolve("sagemaker-jobs"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
