package io.capstan.local.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failures of the AWS services the local platform stands in for, injected into the next calls of given Task states
 * — SageMaker throttling a CreateTrainingJob, say — so the definition's Retry and Catch can be exercised where those
 * services never fail on their own. Empty unless a test or an operator injects some.
 */
public final class TaskFaults {
    static final TaskFaults NONE = new TaskFaults(Map.of());

    private final Map<String, Deque<Fault>> byState;

    private TaskFaults(Map<String, Deque<Fault>> byState) {
        this.byState = byState;
    }

    /** The next {@code times} calls of {@code state} fail with {@code error}. */
    public static TaskFaults failing(String state, String error, String cause, int times) {
        Map<String, Deque<Fault>> faults = new HashMap<>();
        Deque<Fault> queue = new ArrayDeque<>();
        for (int i = 0; i < times; i++) {
            queue.add(new Fault(error, cause));
        }
        faults.put(state, queue);
        return new TaskFaults(faults);
    }

    synchronized Optional<Fault> next(String state) {
        Deque<Fault> queue = byState.get(state);
        return queue == null ? Optional.empty() : Optional.ofNullable(queue.poll());
    }

    /**
     * @param error the error name the task fails with
     * @param cause its cause
     */
    public record Fault(String error, String cause) {
    }
}
