package io.capstan.local.compat;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values the server chose when the exchanges were recorded, mapped to those it chooses in the replay: run,
 * experiment and logged-model ids, generated names, page tokens, content-addressed registry folders. A mapping is
 * learnt where a value first appears in an answer and must hold afterwards; the recorded requests and answers are
 * rewritten with it before they are sent or compared. The rules are those of {@code mlflow_compat/wire.py}.
 */
final class WireMappings {
    /** Tokens a server makes up: hex ids, {@code m-} model ids, uuids, {@code adjective-noun-N} names, numbers. */
    private static final Pattern LEARNABLE = Pattern.compile("[0-9a-f]{8,}|m-[0-9a-f]{8,}"
            + "|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z]+-[a-z]+-[0-9]+|[0-9]+");
    private static final Pattern DELIMITERS = Pattern.compile("[/:@?&=,\\s'\"%]+");
    /** Where a number is an experiment id; {@code %s} is the quoted number. */
    private static final List<String> NUMERIC_CONTEXTS = List.of("(mlflow-artifacts:/)%s(?=/|$|[\"'])",
            "(/mlflow-artifacts/artifacts/)%s(?=/)", "(experiment_id=)%s(?=&|$)", "(path=)%s(?=/|%%2F|&|$)",
            "(\"experiment_id\":\\s*\")%s(?=\")", "(\"experiment_ids\":\\s*\\[(?:\"[0-9]+\",\\s*)*\")%s(?=\")",
            "(#/experiments/)%s(?=/|$)");

    private final Map<String, String> values = new HashMap<>();
    /** Page tokens by endpoint: recorded to live. */
    private final Map<String, Map<String, String>> pageTokens = new HashMap<>();

    /** Records that {@code endpoint} answered {@code live} where it answered {@code recorded}. */
    void learnPageToken(String endpoint, String recorded, String live) {
        pageTokens.computeIfAbsent(endpoint, e -> new HashMap<>()).put(recorded, live);
    }

    /** {@code text} (a request to {@code endpoint}) with the page tokens that endpoint answered replaced. */
    String applyPageTokens(String endpoint, String text) {
        String result = text;
        for (Map.Entry<String, String> token : pageTokens.getOrDefault(endpoint, Map.of()).entrySet()) {
            result = result.replace(token.getKey(), token.getValue());
        }
        return result;
    }

    /** Records {@code recorded -> live}; false when {@code recorded} already maps to another value. */
    boolean learn(String recorded, String live) {
        if (recorded.equals(live)) {
            return true;
        }
        String known = values.putIfAbsent(recorded, live);
        return known == null || known.equals(live);
    }

    /** {@code text} with every learnt value replaced, longest first; numbers only where they are experiment ids. */
    String apply(String text) {
        if (text == null || text.isEmpty() || values.isEmpty()) {
            return text;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(values.entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        String result = text;
        for (Map.Entry<String, String> e : entries) {
            String recorded = e.getKey();
            String live = Matcher.quoteReplacement(e.getValue());
            if (recorded.chars().allMatch(Character::isDigit)) {
                for (String context : NUMERIC_CONTEXTS) {
                    result = Pattern.compile(String.format(context, Pattern.quote(recorded))).matcher(result)
                            .replaceAll("$1" + live);
                }
            } else if (recorded.length() >= 6 && result.contains(recorded)) {
                result = Pattern.compile("(?<![A-Za-z0-9_\\-])" + Pattern.quote(recorded) + "(?![A-Za-z0-9_\\-])")
                        .matcher(result).replaceAll(live);
            }
        }
        return result;
    }

    /** A raw query string with each {@code key=value} decoded, rewritten and encoded again. */
    String applyToQuery(String query) {
        if (query.isEmpty() || values.isEmpty()) {
            return query;
        }
        List<String> parts = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                parts.add(pair);
                continue;
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            String rewritten = apply(key + "=" + value).substring(key.length() + 1);
            parts.add(rewritten.equals(value) ? pair
                    : pair.substring(0, eq + 1) + URLEncoder.encode(rewritten, StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }

    /**
     * Accepts two strings that differ only in server-made tokens (same delimiters, each differing pair
     * {@link #LEARNABLE}, numbers only as experiment ids) and learns those tokens; false otherwise.
     */
    boolean learnTokens(String recorded, String live) {
        List<String> a = tokens(recorded);
        List<String> b = tokens(live);
        if (a.size() != b.size()) {
            return false;
        }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            if (x.equals(y)) {
                continue;
            }
            boolean delimiter = i % 2 == 1;
            if (delimiter || !LEARNABLE.matcher(x).matches() || !LEARNABLE.matcher(y).matches()
                    || isNumber(x) != isNumber(y) || isNumber(x) && !numericContext(recorded, x)) {
                return false;
            }
            pairs.add(new String[] {x, y});
        }
        return pairs.stream().allMatch(p -> learn(p[0], p[1]));
    }

    /** Alternating text and delimiter runs, starting (possibly empty) with text, as Python's re.split keeps them. */
    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = DELIMITERS.matcher(text);
        int at = 0;
        while (m.find()) {
            out.add(text.substring(at, m.start()));
            out.add(m.group());
            at = m.end();
        }
        out.add(text.substring(at));
        return out;
    }

    private static boolean isNumber(String token) {
        return !token.isEmpty() && token.chars().allMatch(Character::isDigit);
    }

    private static boolean numericContext(String text, String number) {
        return text.equals(number) || NUMERIC_CONTEXTS.stream().anyMatch(context ->
                Pattern.compile(String.format(context, Pattern.quote(number))).matcher(text).find());
    }
}
