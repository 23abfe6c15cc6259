package io.capstan.storage;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Random parts of keys and ids (audit event keys, metric segments, report ids) and retry jitter. Drawn from
 * {@link SecureRandom}, which reads the operating system's entropy on every call, so Lambda environments restored
 * from one SnapStart snapshot never draw the same values (a generator seeded during init would repeat in each).
 */
public final class RandomSuffixes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private RandomSuffixes() {
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String hex(int bytes) {
        byte[] drawn = new byte[bytes];
        RANDOM.nextBytes(drawn);
        return HexFormat.of().formatHex(drawn);
    }

    /**
     * A key part after a timestamp: a per-process sequence number, then random hex. Keys made in one process within
     * the same millisecond sort in the order they were made (so, of a row written twice, the first is read first);
     * keys of concurrent writers in other processes stay unique.
     */
    public static String sequenced() {
        return String.format("%08x", SEQUENCE.incrementAndGet() & 0xffffffffL) + hex(4);
    }

    /** A random value in {@code [from, until)}. */
    public static long between(long from, long until) {
        return RANDOM.nextLong(from, until);
    }
}
