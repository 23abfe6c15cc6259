package io.capstan.storage;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Random parts of keys and ids (audit event keys, metric segments, report ids) and retry jitter. Drawn from
 * {@link SecureRandom}, which reads the operating system's entropy on every call, so Lambda environments restored
 * from one SnapStart snapshot never draw the same values (a generator seeded during init would repeat in each).
 */
public final class RandomSuffixes {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSuffixes() {
    }

    /** {@code bytes} random bytes as lower-case hex. */
    public static String hex(int bytes) {
        byte[] drawn = new byte[bytes];
        RANDOM.nextBytes(drawn);
        return HexFormat.of().formatHex(drawn);
    }

    /** A random value in {@code [from, until)}. */
    public static long between(long from, long until) {
        return RANDOM.nextLong(from, until);
    }
}
