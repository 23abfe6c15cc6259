package io.capstan.predict.input;

/**
 * The exact fast path for plain decimal numbers (Clinger's): a number of at most 15 significant digits {@code m} and a
 * decimal exponent {@code e} with {@code |e| <= 22} is {@code m * 10^e} or {@code m / 10^e} in one correctly rounded
 * double operation, since both operands are exact doubles. A float comes from that double by one more rounding,
 * which equals rounding the decimal straight to float unless the double lies exactly halfway between two floats;
 * that case, and every number outside the fast path, is answered {@link #NOT_FAST} for the caller to parse exactly
 * (Jackson's FastDoubleParser). The drift function's CSV reader has its own copy of the same fast path; a function
 * never depends on another function's module.
 */
final class PlainDecimals {
    /** The answer for a number this class does not convert: the caller parses it the slow, exact way. */
    static final double NOT_FAST = Double.NaN;
    /** The most significant digits taken: 10^15 < 2^53, so the digits are an exact double. */
    static final int MAX_DIGITS = 15;
    /** The largest power of ten that is an exact double. */
    static final int MAX_EXPONENT = 22;
    private static final double[] POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    /** The double's fraction bits that a float drops (52 - 23). */
    private static final long DROPPED_BITS = (1L << 29) - 1;
    private static final long HALFWAY = 1L << 28;

    private PlainDecimals() {
    }

    /**
     * {@code digits * 10^exponent}, negated when {@code negative}, as a correctly rounded double; {@link #NOT_FAST}
     * when {@code |exponent| > 22} (and {@code digits} is not zero). {@code digits} is below 10^15.
     */
    static double toDouble(long digits, int exponent, boolean negative) {
        double value;
        if (digits == 0) {
            value = 0.0;
        } else if (exponent < 0) {
            if (exponent < -MAX_EXPONENT) {
                return NOT_FAST;
            }
            value = digits / POWERS[-exponent];
        } else {
            if (exponent > MAX_EXPONENT) {
                return NOT_FAST;
            }
            value = digits * POWERS[exponent];
        }
        return negative ? -value : value;
    }

    /**
     * As {@link #toDouble}, for a float: the double returned narrows with {@code (float)} to the decimal's correctly
     * rounded float; {@link #NOT_FAST} when it would not (the double halfway between two floats) or is not fast.
     * The results lie between 1e-22 and 1e37, inside float's normal range, so a float's 24 bits are the double's top
     * 24 and halfway means the 29 dropped bits are 1 then zeros.
     */
    static double toFloatExactly(long digits, int exponent, boolean negative) {
        double value = toDouble(digits, exponent, negative);
        if ((Double.doubleToRawLongBits(value) & DROPPED_BITS) == HALFWAY) {
            return NOT_FAST;
        }
        return value;
    }

    /**
     * The plain decimal {@code chars[start, end)} ({@code -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?}, leading zeros
     * allowed) as a double to narrow to float ({@code forFloat}) or as the correctly rounded double;
     * {@link #NOT_FAST} for any other text or a number outside the fast path.
     */
    static double parse(char[] chars, int start, int end, boolean forFloat) {
        int i = start;
        boolean negative = i < end && chars[i] == '-';
        if (negative) {
            i++;
        }
        long digits = 0;
        int significant = 0;
        int exponent = 0;
        int intStart = i;
        for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
            int d = chars[i] - '0';
            if (digits != 0 || d != 0) {
                if (++significant > MAX_DIGITS) {
                    return NOT_FAST;
                }
                digits = digits * 10 + d;
            }
        }
        if (i == intStart) {
            return NOT_FAST;
        }
        if (i < end && chars[i] == '.') {
            int fractionStart = ++i;
            for (; i < end && chars[i] >= '0' && chars[i] <= '9'; i++) {
                int d = chars[i] - '0';
                if (digits != 0 || d != 0) {
                    if (++significant > MAX_DIGITS) {
                        return NOT_FAST;
                    }
                    digits = digits * 10 + d;
                }
                exponent--;
            }
            if (i == fractionStart) {
                return NOT_FAST;
            }
        }
        if (i < end && (chars[i] == 'e' || chars[i] == 'E')) {
            i++;
            boolean negativeExponent = i < end && chars[i] == '-';
            if (i < end && (chars[i] == '-' || chars[i] == '+')) {
                i++;
            }
            int expStart = i;
            int written = 0;
            for (; i < end && chars[i] >= '0' && chars[i] <= '9' && i - expStart < 4; i++) {
                written = written * 10 + (chars[i] - '0');
            }
            if (i == expStart || i != end) {
                return NOT_FAST;
            }
            exponent += negativeExponent ? -written : written;
        }
        if (i != end) {
            return NOT_FAST;
        }
        return forFloat ? toFloatExactly(digits, exponent, negative) : toDouble(digits, exponent, negative);
    }
}
