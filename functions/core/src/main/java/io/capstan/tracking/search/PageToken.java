package io.capstan.tracking.search;

import io.capstan.error.CapstanException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opaque search page tokens: the base64url form of {@code {"offset": N}}, N being how many results earlier
 * pages held, or, for searches read from an index in start-time order, of {@code {"after_start": T, "after_run":
 * "<run id>"}}: the page starts after that run, so the token stays valid while runs are added. Tokens in MLflow's own
 * form (standard base64, padded) decode too.
 */
public final class PageToken {

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]+");
    private static final Pattern OFFSET_JSON = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*(-?\\d{1,10})\\s*}");
    private static final Pattern AFTER_JSON = Pattern.compile(
            "\\{\\s*\"after_start\"\\s*:\\s*(-?\\d{1,19})\\s*,\\s*\"after_run\"\\s*:\\s*\"([0-9A-Za-z_-]{1,64})\""
                    + "(?:\\s*,\\s*\"after_metric\"\\s*:\\s*\"(NaN|-?[0-9.]{1,30}(?:E-?[0-9]{1,3})?)\")?\\s*}");
    private static final int MAX_ECHO = 80;

    /** Where a page starts. */
    public sealed interface Position {
    }

    /** After the first {@code offset} results. */
    public record Offset(int offset) implements Position {
    }

    /**
     * After the run {@code runId} that started at {@code startTime}, in the search's order; for a search ordered by a
     * metric, {@code metric} is that run's value of it (NaN included), null when the run has none.
     */
    public record After(long startTime, String runId, Double metric) implements Position {
        public After(long startTime, String runId) {
            this(startTime, runId, null);
        }
    }

    private PageToken() {
    }

    /**
     * The token for the page that starts at {@code offset}.
     *
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public static String encode(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        byte[] json = ("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    }

    /** The token for the page after the run {@code runId}, which started at {@code startTime}. */
    public static String encodeAfter(long startTime, String runId) {
        return encodeAfter(startTime, runId, null);
    }

    /** The token for the page after a run of a search ordered by a metric ({@code metric}: its value, or null). */
    public static String encodeAfter(long startTime, String runId, Double metric) {
        String json = "{\"after_start\": " + startTime + ", \"after_run\": \"" + runId + "\""
                + (metric == null ? "" : ", \"after_metric\": \"" + metric + "\"") + "}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the page {@code token} names starts.
     *
     * @param token from {@link #encode} or {@link #encodeAfter}; null or empty means the first page
     * @throws CapstanException INVALID_PARAMETER_VALUE ("Invalid page token …") for any other token
     */
    public static Position position(String token) {
        if (token == null || token.isEmpty()) {
            return new Offset(0);
        }
        String json = new String(base64(token), StandardCharsets.UTF_8);
        Matcher after = AFTER_JSON.matcher(json);
        if (after.matches()) {
            try {
                return new After(Long.parseLong(after.group(1)), after.group(2),
                        after.group(3) == null ? null : Double.valueOf(after.group(3)));
            } catch (NumberFormatException e) {
                throw invalid(token, "start time out of range");
            }
        }
        return new Offset(offset(token, json));
    }

    /**
     * The offset {@code token} stands for.
     *
     * @param token a token from {@link #encode}; null or empty means the first page
     * @return the offset, 0 or more
     * @throws CapstanException INVALID_PARAMETER_VALUE ("Invalid page token …") if the token is not base64, does
     *                          not hold an offset, or holds a negative one
     */
    public static int decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        return offset(token, new String(base64(token), StandardCharsets.UTF_8));
    }

    /** The offset in a token's decoded {@code json}. */
    private static int offset(String token, String json) {
        Matcher matcher = OFFSET_JSON.matcher(json);
        if (!matcher.matches()) {
            throw invalid(token, "it does not hold an offset");
        }
        long offset = Long.parseLong(matcher.group(1));
        if (offset < 0 || offset > Integer.MAX_VALUE) {
            throw invalid(token, "offset " + offset + " is out of range");
        }
        return (int) offset;
    }

    /**
     * The page of {@code sortedAll} that {@code pageToken} points at, with the token for the page after it.
     *
     * @param sortedAll  every result, already filtered and sorted
     * @param maxResults the page size, 1 or more
     * @param pageToken  the token of the wanted page; null or empty for the first
     * @return the page; its {@code nextPageToken} is null when no results follow it
     * @throws CapstanException INVALID_PARAMETER_VALUE for a malformed token or a page size below 1
     */
    public static <T> Page<T> page(List<T> sortedAll, int maxResults, String pageToken) {
        if (maxResults < 1) {
            throw CapstanException.invalidParameter("Invalid value for request parameter max_results. It must be a "
                    + "positive integer, but got " + maxResults);
        }
        int offset = decode(pageToken);
        int size = sortedAll.size();
        int from = Math.min(offset, size);
        int to = (int) Math.min((long) offset + maxResults, size);
        return new Page<>(sortedAll.subList(from, to), to < size ? encode(to) : null);
    }

    private static byte[] base64(String token) {
        String body = stripPadding(token);
        if (!BASE64.matcher(body).matches() || body.length() % 4 == 1) {
            throw invalid(token, "could not base64-decode");
        }
        return Base64.getUrlDecoder().decode(body.replace('+', '-').replace('/', '_'));
    }

    private static String stripPadding(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        return token.substring(0, end);
    }

    private static CapstanException invalid(String token, String reason) {
        String echo = token.length() > MAX_ECHO ? token.substring(0, MAX_ECHO) + "…" : token;
        return CapstanException.invalidParameter("Invalid page token '" + echo + "': " + reason
                + ". Pass the next_page_token of the previous response unchanged");
    }
}
