package io.capstan.tracking.search;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

// A comparator of MLflow's search grammar.
enum Operator {
    EQ("="), NE("!="), GT(">"), GE(">="), LT("<"), LE("<="), LIKE("LIKE"), ILIKE("ILIKE"), IN("IN"),
    NOT_IN("NOT IN");

    static final Set<Operator> NUMERIC = EnumSet.of(EQ, NE, GT, GE, LT, LE);
    static final Set<Operator> TEXT = EnumSet.of(EQ, NE, LIKE, ILIKE);
    static final Set<Operator> TEXT_OR_LIST = EnumSet.of(EQ, NE, LIKE, ILIKE, IN, NOT_IN);

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    // Whether a comparison whose compareTo-style result is cmp holds. Numeric operators only.
    boolean holds(int cmp) {
        return switch (this) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            default -> throw new IllegalStateException(this + " is not a numeric operator");
        };
    }

    // The operator written as text (keywords in any case), or null for none.
    static Operator fromText(String text) {
        return Arrays.stream(values()).filter(op -> op.symbol.equalsIgnoreCase(text)).findFirst().orElse(null);
    }

    static String describe(Set<Operator> operators) {
        return operators.stream().map(Operator::symbol).collect(Collectors.joining(", ", "[", "]"));
    }
}
