package io.capstan.tracking.search;

import io.capstan.error.CapstanException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

// Splits a filter or order_by string into tokens, the way sqlparse does for MLflow: names (dotted chains whose
// segments may be backticked or double-quoted), single-quoted strings, numbers, comparison operators, parentheses
// and commas. Quoted text has no escapes: a string ends at the next matching quote.
final class SearchTokenizer {

    enum Kind { NAME, STRING, NUMBER, OPERATOR, LEFT_PAREN, RIGHT_PAREN, COMMA }

    // segments: for a name, its dot-separated segments as written (quotes kept); empty for other kinds.
    record Token(Kind kind, String text, List<String> segments, int position) {
        Token {
            segments = List.copyOf(segments);
        }

        // Keywords (AND, LIKE, IN, ...) are bare words, matched in any case.
        boolean isWord(String word) {
            return kind == Kind.NAME && segments.size() == 1 && text.equalsIgnoreCase(word);
        }

        // A name written as one double-quoted segment: MLflow reads it as a string where a value is due.
        boolean isDoubleQuotedString() {
            return kind == Kind.NAME && segments.size() == 1 && text.length() >= 2 && text.startsWith("\"");
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final String OPERATOR_CHARS = "<>=~!";

    private final String input;
    private final String label;
    private int index;

    private SearchTokenizer(String input, String label) {
        this.input = input;
        this.label = label;
    }

    // label names the input in messages: "filter" or "order_by clause".
    static List<Token> tokenize(String input, String label) {
        return new SearchTokenizer(input, label).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (index < input.length()) {
            char c = input.charAt(index);
            if (Character.isWhitespace(c)) {
                index++;
            } else if (c == '\'') {
                tokens.add(quoted(Kind.STRING));
            } else if (c == '(') {
                tokens.add(single(Kind.LEFT_PAREN));
            } else if (c == ')') {
                tokens.add(single(Kind.RIGHT_PAREN));
            } else if (c == ',') {
                tokens.add(single(Kind.COMMA));
            } else if (OPERATOR_CHARS.indexOf(c) >= 0) {
                tokens.add(operator());
            } else if (startsNumber()) {
                tokens.add(number());
            } else if (startsSegment(c)) {
                tokens.add(name());
            } else {
                throw unexpected(index);
            }
        }
        return tokens;
    }

    private Token single(Kind kind) {
        int start = index++;
        return new Token(kind, input.substring(start, index), List.of(), start);
    }

    private Token operator() {
        int start = index;
        while (index < input.length() && OPERATOR_CHARS.indexOf(input.charAt(index)) >= 0) {
            index++;
        }
        return new Token(Kind.OPERATOR, input.substring(start, index), List.of(), start);
    }

    private boolean startsNumber() {
        char c = input.charAt(index);
        if (Character.isDigit(c)) {
            return true;
        }
        return (c == '-' || c == '.') && index + 1 < input.length() && Character.isDigit(input.charAt(index + 1));
    }

    private Token number() {
        int start = index;
        Matcher matcher = NUMBER.matcher(input).region(start, input.length());
        if (!matcher.lookingAt()) {
            throw unexpected(start);
        }
        index = matcher.end();
        if (index < input.length() && isWordChar(input.charAt(index))) {
            throw unexpected(index);
        }
        return new Token(Kind.NUMBER, input.substring(start, index), List.of(), start);
    }

    private Token name() {
        int start = index;
        List<String> segments = new ArrayList<>();
        while (true) {
            segments.add(segment());
            if (index >= input.length() || input.charAt(index) != '.') {
                break;
            }
            if (index + 1 >= input.length() || !startsSegment(input.charAt(index + 1))) {
                throw CapstanException.invalidParameter(String.format(Locale.ROOT,
                        "Invalid %s '%s': identifier '%s' at position %d needs a name after '.'. "
                                + "Quote names with special characters, e.g. metrics.`my-metric`",
                        label, input, input.substring(start, index + 1), start));
            }
            index++;
        }
        return new Token(Kind.NAME, input.substring(start, index), segments, start);
    }

    private String segment() {
        char c = input.charAt(index);
        if (c == '`' || c == '"') {
            return quoted(Kind.NAME).text();
        }
        int start = index;
        while (index < input.length() && isWordChar(input.charAt(index))) {
            index++;
        }
        return input.substring(start, index);
    }

    private Token quoted(Kind kind) {
        int start = index;
        char quote = input.charAt(start);
        int end = input.indexOf(quote, start + 1);
        if (end < 0) {
            throw CapstanException.invalidParameter(String.format(Locale.ROOT,
                    "Invalid %s '%s': unbalanced quote %s at position %d", label, input, quote, start));
        }
        index = end + 1;
        String text = input.substring(start, index);
        return new Token(kind, text, kind == Kind.NAME ? List.of(text) : List.of(), start);
    }

    private CapstanException unexpected(int at) {
        return CapstanException.invalidParameter(String.format(Locale.ROOT,
                "Invalid %s '%s': unexpected '%s' at position %d. "
                        + "Quote names with special characters, e.g. params.`model-type`",
                label, input, input.charAt(at), at));
    }

    private static boolean startsSegment(char c) {
        return isWordChar(c) || c == '`' || c == '"';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
