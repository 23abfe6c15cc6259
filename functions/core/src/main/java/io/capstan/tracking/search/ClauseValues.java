package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.search.SearchSyntax.Clause;
import io.capstan.tracking.search.SearchSyntax.Value;
import io.capstan.tracking.search.SearchSyntax.ValueList;
import io.capstan.tracking.search.SearchTokenizer.Kind;
import io.capstan.tracking.search.SearchTokenizer.Token;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

// Reads a clause's comparator and right-hand side as one kind of key expects them, with MLflow's messages
// (SearchUtils._get_value and the is_metric/is_param/... comparator checks).
final class ClauseValues {

    private ClauseValues() {
    }

    static boolean isList(Clause clause) {
        return clause.operand() instanceof ValueList;
    }

    static BigDecimal number(Clause clause, String what) {
        if (clause.operand() instanceof Value value && value.token().kind() == Kind.NUMBER) {
            return new BigDecimal(value.token().text());
        }
        throw CapstanException.invalidParameter("Expected numeric value type for " + what + ". Found "
                + operandText(clause) + " in '" + clause.text() + "'");
    }

    static String string(Clause clause, String what) {
        if (clause.operand() instanceof Value value) {
            Token token = value.token();
            if (token.kind() == Kind.STRING || token.isDoubleQuotedString()) {
                return token.text().substring(1, token.text().length() - 1);
            }
            if (token.kind() == Kind.NAME) {
                throw CapstanException.invalidParameter("Parameter value is either not quoted or unidentified quote "
                        + "types used for string value " + token.text() + " in '" + clause.text()
                        + "'. Use either single or double quotes.");
            }
        }
        throw CapstanException.invalidParameter("Expected a quoted string value for " + what
                + " (e.g. 'my-value'). Got value " + operandText(clause) + " in '" + clause.text() + "'");
    }

    static List<String> list(Clause clause) {
        return ((ValueList) clause.operand()).values();
    }

    // The clause's operator, checked against allowed and against the operand's shape: IN and NOT IN take a list
    // and nothing else does.
    static Operator operator(Clause clause, Set<Operator> allowed, String what) {
        Operator operator = Operator.fromText(clause.comparator());
        if (operator == null || !allowed.contains(operator)) {
            throw CapstanException.invalidParameter("Invalid comparator '" + clause.comparator() + "' for " + what
                    + " in '" + clause.text() + "', not one of '" + Operator.describe(allowed) + "'");
        }
        if (operator.takesList() != isList(clause)) {
            throw CapstanException.invalidParameter(operator.takesList()
                    ? "Invalid comparison '" + clause.text() + "': " + operator.symbol()
                            + " takes a parenthesised list of quoted strings, e.g. ('a', 'b')"
                    : "Invalid comparison '" + clause.text() + "': a list of values needs IN or NOT IN, not '"
                            + operator.symbol() + "'");
        }
        return operator;
    }

    private static String operandText(Clause clause) {
        if (clause.operand() instanceof Value value) {
            return value.token().text();
        }
        return ((ValueList) clause.operand()).text();
    }
}
