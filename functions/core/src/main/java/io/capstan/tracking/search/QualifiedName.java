package io.capstan.tracking.search;

import java.util.List;

// An identifier split the way MLflow splits it: at the first dot into an entity type (metrics, tag, …; null when
// the identifier has no dot) and a key with one pair of surrounding quotes and then one pair of backticks removed.
// entityType keeps its quotes as written; text is the whole identifier as written, for messages.
record QualifiedName(String entityType, String key, String text) {

    static QualifiedName of(SearchTokenizer.Token name) {
        List<String> segments = name.segments();
        if (segments.size() == 1) {
            return new QualifiedName(null, unquote(segments.get(0)), name.text());
        }
        String rest = String.join(".", segments.subList(1, segments.size()));
        return new QualifiedName(segments.get(0), unquote(rest), name.text());
    }

    // The entity type with surrounding backticks removed, as MLflow's run search reads it.
    String entityTypeWithoutBackticks() {
        return trimPair(entityType, '`');
    }

    private static String unquote(String raw) {
        String stripped = isQuoted(raw, '"') || isQuoted(raw, '\'') ? raw.substring(1, raw.length() - 1) : raw;
        return trimPair(stripped, '`');
    }

    private static String trimPair(String value, char quote) {
        return isQuoted(value, quote) ? value.substring(1, value.length() - 1) : value;
    }

    private static boolean isQuoted(String value, char quote) {
        return value.length() >= 2 && value.charAt(0) == quote && value.charAt(value.length() - 1) == quote;
    }
}
