package io.capstan.tracking.search;

import io.capstan.error.CapstanException;
import io.capstan.tracking.search.SearchTokenizer.Kind;
import io.capstan.tracking.search.SearchTokenizer.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

// The grammar shared by run and experiment search, before any key is given a meaning:
//   filter  := clause (AND clause)*
//   clause  := name comparator (value | '(' string (',' string)* ')')
//   orderBy := name [ASC | DESC]
final class SearchSyntax {

    record Clause(QualifiedName name, String comparator, Operand operand, String text) {
    }

    sealed interface Operand permits Value, ValueList {
    }

    record Value(Token token) implements Operand {
    }

    record ValueList(List<String> values, String text) implements Operand {
        ValueList {
            values = List.copyOf(values);
        }
    }

    record OrderTerm(QualifiedName name, boolean ascending) {
    }

    private static final String LIST_HINT = "While parsing a list in the query, expected a non-empty list of "
            + "string values";

    private final String input;
    private final List<Token> tokens;
    private int position;
    private int clauseStart;

    private SearchSyntax(String input, List<Token> tokens) {
        this.input = input;
        this.tokens = tokens;
    }

    // The clauses of filter, empty for a null or blank filter.
    static List<Clause> parseFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new SearchSyntax(filter, SearchTokenizer.tokenize(filter, "filter")).clauses();
    }

    static OrderTerm parseOrderBy(String orderBy) {
        String entry = orderBy == null ? "" : orderBy;
        List<Token> tokens = SearchTokenizer.tokenize(entry, "order_by clause");
        if (tokens.isEmpty() || tokens.size() > 2 || tokens.get(0).kind() != Kind.NAME) {
            throw CapstanException.invalidParameter(
                    "Invalid order_by clause '" + entry + "'. Could not be parsed. Expected '<key> [ASC|DESC]'");
        }
        boolean ascending = true;
        if (tokens.size() == 2) {
            Token direction = tokens.get(1);
            if (!direction.isWord("ASC") && !direction.isWord("DESC")) {
                throw CapstanException.invalidParameter("Invalid ordering key '" + direction.text()
                        + "' in order_by clause '" + entry + "'. Use ASC or DESC");
            }
            ascending = direction.isWord("ASC");
        }
        return new OrderTerm(QualifiedName.of(tokens.get(0)), ascending);
    }

    private List<Clause> clauses() {
        List<Clause> clauses = new ArrayList<>();
        while (true) {
            clauses.add(clause());
            if (position == tokens.size()) {
                return clauses;
            }
            Token next = tokens.get(position++);
            if (!next.isWord("AND")) {
                throw invalidClause(next, "AND between comparisons; OR and other keywords are not supported");
            }
            if (position == tokens.size()) {
                throw invalidClause(next, "a comparison after AND");
            }
        }
    }

    private Clause clause() {
        Token name = tokens.get(position++);
        clauseStart = name.position();
        if (name.kind() != Kind.NAME || name.isWord("AND")) {
            throw invalidClause(name, "an identifier such as metrics.rmse or params.`learning rate`");
        }
        String comparator = comparator(name);
        Operand operand = operand(name, comparator);
        Token last = tokens.get(position - 1);
        String text = input.substring(name.position(), last.position() + last.text().length());
        return new Clause(QualifiedName.of(name), comparator, operand, text);
    }

    private String comparator(Token name) {
        Token token = next("a comparator after '" + name.text() + "'");
        if (token.kind() == Kind.OPERATOR || token.isWord("LIKE") || token.isWord("ILIKE") || token.isWord("IN")) {
            return token.text().toUpperCase(Locale.ROOT);
        }
        if (token.isWord("NOT")) {
            Token in = next("IN after NOT");
            if (in.isWord("IN")) {
                return "NOT IN";
            }
            throw invalidClause(in, "IN after NOT");
        }
        throw invalidClause(token, "a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN) after '"
                + name.text() + "'");
    }

    private Operand operand(Token name, String comparator) {
        Token token = next("a value after '" + name.text() + " " + comparator + "'");
        return switch (token.kind()) {
            case STRING, NUMBER, NAME -> new Value(token);
            case LEFT_PAREN -> list(token);
            default -> throw invalidClause(token, "a value after '" + name.text() + " " + comparator + "'");
        };
    }

    private ValueList list(Token open) {
        List<String> values = new ArrayList<>();
        boolean expectValue = true;
        while (true) {
            if (position == tokens.size()) {
                throw CapstanException.invalidParameter(String.format(Locale.ROOT,
                        "Invalid filter '%s': unclosed '(' at position %d", input, open.position()));
            }
            Token token = tokens.get(position++);
            String text = input.substring(open.position(), token.position() + token.text().length());
            if (token.kind() == Kind.RIGHT_PAREN) {
                if (values.isEmpty()) {
                    throw CapstanException.invalidParameter(LIST_HINT + ", but got empty list: " + text);
                }
                if (expectValue) {
                    throw CapstanException.invalidParameter(LIST_HINT + ", but got ill-formed list: " + text);
                }
                return new ValueList(values, text);
            }
            if (expectValue && token.kind() == Kind.STRING) {
                values.add(token.text().substring(1, token.text().length() - 1));
                expectValue = false;
            } else if (!expectValue && token.kind() == Kind.COMMA) {
                expectValue = true;
            } else if (expectValue && token.kind() != Kind.COMMA) {
                throw CapstanException.invalidParameter("While parsing a list in the query, expected single-quoted "
                        + "string values, but got " + token.text() + " in list starting at position "
                        + open.position() + " of '" + input + "'");
            } else {
                throw CapstanException.invalidParameter(LIST_HINT + ", but got ill-formed list: " + text);
            }
        }
    }

    private Token next(String expectation) {
        if (position == tokens.size()) {
            throw CapstanException.invalidParameter("Invalid comparison clause '"
                    + input.substring(clauseStart).strip() + "' in filter '" + input
                    + "': expected " + expectation);
        }
        return tokens.get(position++);
    }

    private CapstanException invalidClause(Token token, String expectation) {
        return CapstanException.invalidParameter(String.format(Locale.ROOT,
                "Invalid clause(s) in filter string: '%s' at position %d of '%s'. Expected %s",
                token.text(), token.position(), input, expectation));
    }
}
