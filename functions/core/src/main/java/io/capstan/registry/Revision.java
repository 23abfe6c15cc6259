package io.capstan.registry;

import java.util.Objects;

/**
 * A stored value with the revision it was read at. A write that names the revision succeeds only if nobody
 * wrote in between, which is how the registry changes aliases, stages and policies without losing updates.
 *
 * @param value    the value as read
 * @param revision the store's revision counter for it
 * @param <T>      the value type
 */
public record Revision<T>(T value, long revision) {
    public Revision {
        Objects.requireNonNull(value, "value");
    }
}
