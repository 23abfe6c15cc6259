package io.capstan.tracking.function;

import io.capstan.error.CapstanException;

/**
 * Checks artifact paths from requests before they reach the store, as MLflow's {@code validate_path_is_safe}:
 * relative, no {@code .} or {@code ..} segment, no empty segment, no backslash, no control character.
 */
final class ArtifactPaths {
    private ArtifactPaths() {
    }

    /** A path naming an object. */
    static String check(String path) {
        if (path == null || path.isEmpty()) {
            throw CapstanException.invalidParameter("Invalid path: an artifact path is required.");
        }
        return checkFolder(path);
    }

    /** A folder path; empty means the root. A trailing slash is dropped. */
    static String checkFolder(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (p.isEmpty()) {
            return p;
        }
        boolean unsafe = p.startsWith("/") || p.contains("\\") || p.contains("://")
                || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (!unsafe) {
            for (String segment : p.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    unsafe = true;
                    break;
                }
            }
        }
        if (unsafe) {
            throw CapstanException.invalidParameter("Invalid path: '" + path + "'. Artifact paths must be relative"
                    + " and must not contain '.', '..' or empty segments.");
        }
        return p;
    }
}
