package io.capstan.quality.engine;

import io.capstan.quality.Task;
import java.util.List;
import java.util.Map;

/**
 * A window's prediction records joined with their ground truth.
 *
 * @param task     a regressor's records carry values, a classifier's labels
 * @param classes  a classifier's classes, sorted; empty for a regressor
 * @param versions per version with predictions in the window, in version order
 * @param issues   counts of the rules {@link JoinSql} states (only those that occurred)
 * @param engine   the engine and its version
 */
public record Joined(Task task, List<String> classes, List<JoinedVersion> versions, Map<String, Long> issues,
                     String engine) {
}
