package io.capstan.predict.tensor;

import java.util.Arrays;

/**
 * A growable flat store of JSON scalars as a request carried them: null, boolean, integer, floating-point number or
 * string, each kept with its kind so that conversions can follow numpy's and pandas' rules. Strings are stored only
 * when some appear.
 */
final class Scalars {
    static final byte NULL = 0;
    static final byte BOOL = 1;
    static final byte INT = 2;
    static final byte FLOAT = 3;
    static final byte STRING = 4;

    private byte[] kinds;
    private long[] bits;
    private String[] strings;
    private int size;
    private int kindMask;

    Scalars(int capacity) {
        kinds = new byte[Math.max(4, capacity)];
        bits = new long[kinds.length];
    }

    int size() {
        return size;
    }

    /** A bit per kind present ({@code 1 << kind}). */
    int kindMask() {
        return kindMask;
    }

    /** Whether every element is of {@code kind}; true when there are none. */
    boolean only(byte kind) {
        return (kindMask & ~(1 << kind)) == 0;
    }

    byte kind(int i) {
        return kinds[i];
    }

    boolean bool(int i) {
        return bits[i] != 0;
    }

    long integer(int i) {
        return bits[i];
    }

    double floating(int i) {
        return Double.longBitsToDouble(bits[i]);
    }

    String string(int i) {
        return strings[i];
    }

    /** Element {@code i} as a double: an integer, a float or NaN for null; a boolean as 1 or 0. */
    double number(int i) {
        return switch (kinds[i]) {
            case INT -> bits[i];
            case FLOAT -> Double.longBitsToDouble(bits[i]);
            case BOOL -> bits[i];
            default -> Double.NaN;
        };
    }

    void addNull() {
        add(NULL, 0);
    }

    void addBool(boolean value) {
        add(BOOL, value ? 1 : 0);
    }

    void addInt(long value) {
        add(INT, value);
    }

    void addFloat(double value) {
        add(FLOAT, Double.doubleToRawLongBits(value));
    }

    void addString(String value) {
        int i = size;
        add(STRING, 0);
        if (strings == null) {
            strings = new String[kinds.length];
        }
        strings[i] = value;
    }

    /** Appends element {@code i} of {@code other}. */
    void addFrom(Scalars other, int i) {
        byte kind = other.kinds[i];
        if (kind == STRING) {
            addString(other.strings[i]);
        } else {
            add(kind, other.bits[i]);
        }
    }

    /** Element {@code i} as JSON-like text, for messages. */
    String show(int i) {
        return switch (kinds[i]) {
            case NULL -> "null";
            case BOOL -> bits[i] != 0 ? "true" : "false";
            case INT -> Long.toString(bits[i]);
            case FLOAT -> Double.toString(Double.longBitsToDouble(bits[i]));
            default -> "\"" + (strings[i].length() <= 40 ? strings[i] : strings[i].substring(0, 40) + "...") + "\"";
        };
    }

    private void add(byte kind, long value) {
        if (size == kinds.length) {
            int grown = kinds.length * 2;
            kinds = Arrays.copyOf(kinds, grown);
            bits = Arrays.copyOf(bits, grown);
            if (strings != null) {
                strings = Arrays.copyOf(strings, grown);
            }
        }
        kinds[size] = kind;
        bits[size] = value;
        kindMask |= 1 << kind;
        size++;
    }
}
