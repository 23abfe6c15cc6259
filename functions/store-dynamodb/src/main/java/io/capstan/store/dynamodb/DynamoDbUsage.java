package io.capstan.store.dynamodb;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * What a piece of work cost in DynamoDB: calls, items and bytes read and written, and capacity units, as counted by
 * a {@link MeteredDynamoDbClient} on the thread that did the work ({@link #measure}). Bytes are item sizes by
 * DynamoDB's rules (attribute names and values); read units are computed from them as AWS bills strongly consistent
 * reads (a query by its items' total size in 4 KB units, a get or batch get by each item's); write units are what
 * DynamoDB reports for each write.
 *
 * @param calls        DynamoDB API calls
 * @param itemsRead    items returned by gets and queries
 * @param bytesRead    their total size
 * @param readUnits    read capacity units (strongly consistent)
 * @param itemsWritten items put, updated, deleted or checked
 * @param writeUnits   write capacity units
 */
public record DynamoDbUsage(long calls, long itemsRead, long bytesRead, double readUnits, long itemsWritten,
                            double writeUnits) {
    private static final ThreadLocal<Counter> CURRENT = new ThreadLocal<>();

    /** Nothing. */
    public static final DynamoDbUsage NONE = new DynamoDbUsage(0, 0, 0, 0, 0, 0);

    /** {@code work}'s result and what it cost, counted on this thread. */
    public static <T> Measured<T> measure(Supplier<T> work) {
        Counter outer = CURRENT.get();
        Counter counter = new Counter();
        CURRENT.set(counter);
        try {
            T result = work.get();
            return new Measured<>(result, counter.usage());
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
                outer.add(counter.usage());
            }
        }
    }

    /** This usage and {@code other} together. */
    public DynamoDbUsage plus(DynamoDbUsage other) {
        return new DynamoDbUsage(calls + other.calls, itemsRead + other.itemsRead, bytesRead + other.bytesRead,
                readUnits + other.readUnits, itemsWritten + other.itemsWritten, writeUnits + other.writeUnits);
    }

    /** {@code calls=3; items_read=230; bytes_read=51234; rcu=13.5; items_written=0; wcu=0.0}: a log or header value. */
    public String describe() {
        return String.format(Locale.ROOT, "calls=%d; items_read=%d; bytes_read=%d; rcu=%.1f; items_written=%d; wcu=%.1f",
                calls, itemsRead, bytesRead, readUnits, itemsWritten, writeUnits);
    }

    /** Adds to the counter of the work being measured on this thread, if any. */
    static void record(DynamoDbUsage usage) {
        Counter counter = CURRENT.get();
        if (counter != null) {
            counter.add(usage);
        }
    }

    /** A result and what producing it cost. */
    public record Measured<T>(T result, DynamoDbUsage usage) {
    }

    private static final class Counter {
        private DynamoDbUsage total = NONE;

        void add(DynamoDbUsage usage) {
            total = total.plus(usage);
        }

        DynamoDbUsage usage() {
            return total;
        }
    }
}
