package io.capstan.tracking.search;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

// How MLflow's SQLAlchemy store on SQLite compares values, so that searches answer as a stock server does:
// - text: '=' and LIKE are case-sensitive (the store sets PRAGMA case_sensitive_like), ILIKE is lower(a) LIKE
//   lower(b); LIKE has no escape character, '%' is any run and '_' any one character; ordering is SQLite's
//   BINARY collation, i.e. by Unicode code point.
// - metrics: the store writes NaN as 0 (with an is_nan flag it only sorts on) and +/-Infinity as +/-Double.MAX_VALUE,
//   and filters compare that stored value. So a NaN metric matches 'metrics.m = 0' and '>= 0', and an
//   infinite one compares like the largest finite double.
final class SqlSemantics {

    private SqlSemantics() {
    }

    static double storedMetric(double value) {
        if (Double.isNaN(value)) {
            return 0.0;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
        }
        return value;
    }

    static DoublePredicate metricMatcher(Operator operator, BigDecimal literal) {
        double right = literal.doubleValue();
        return value -> {
            double left = storedMetric(value);
            return operator.holds(left < right ? -1 : left > right ? 1 : 0);
        };
    }

    static LongPredicate longMatcher(Operator operator, BigDecimal literal) {
        return value -> operator.holds(BigDecimal.valueOf(value).compareTo(literal));
    }

    static Predicate<String> textMatcher(Operator operator, String value) {
        return switch (operator) {
            case EQ -> value::equals;
            case NE -> text -> !text.equals(value);
            case LIKE -> text -> like(text, value);
            case ILIKE -> {
                String lowerPattern = value.toLowerCase(Locale.ROOT);
                yield text -> like(text.toLowerCase(Locale.ROOT), lowerPattern);
            }
            default -> throw new IllegalArgumentException(operator + " does not compare with one string");
        };
    }

    static Predicate<String> listMatcher(Operator operator, List<String> values) {
        Set<String> set = Set.copyOf(values);
        return switch (operator) {
            case IN -> set::contains;
            case NOT_IN -> text -> !set.contains(text);
            default -> throw new IllegalArgumentException(operator + " does not compare with a list");
        };
    }

    static int compareText(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < left.length(), j < right.length());
    }

    static boolean like(String text, String pattern) {
        int[] s = text.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        int si = 0;
        int pi = 0;
        int starAt = -1;
        int resumeAt = 0;
        while (si < s.length) {
            if (pi < p.length && (p[pi] == '_' || (p[pi] != '%' && p[pi] == s[si]))) {
                si++;
                pi++;
            } else if (pi < p.length && p[pi] == '%') {
                starAt = pi++;
                resumeAt = si;
            } else if (starAt >= 0) {
                pi = starAt + 1;
                si = ++resumeAt;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '%') {
            pi++;
        }
        return pi == p.length;
    }
}
