package io.capstan.local.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sends fuzz cases and judges each answer: an answer came, within {@value #MAX_MILLIS} ms; no 5xx; an error is
 * MLflow's {@code {"error_code", "message"}} (the Open Inference Protocol's {@code {"error"}} under {@code /v2}); text
 * that cannot be stored and JSON that is not JSON get a 4xx; and a refused write leaves the state it could touch as
 * it was. Violations are collected, not thrown, so one run reports them all.
 */
final class FuzzRun {
    /** Stands in requests for a number new to each request (unique names). */
    static final String SEQUENCE = "__N__";
    static final long MAX_MILLIS = 5_000;

    private final RawHttp http;
    private final StateProbes probes;
    private final Map<String, String> known = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> categories = new TreeMap<>();
    private final Map<String, Integer> asIsRefused = new TreeMap<>();
    private int sequence;
    private int sent;
    private long slowest;
    private String slowestCase = "";

    FuzzRun(RawHttp http, StateProbes probes) {
        this.http = http;
        this.probes = probes;
    }

    /** Sends {@code c}, checks its answer, and returns it. */
    RawHttp.Answer send(FuzzCase c) {
        Optional<String> probe = c.writes() ? StateProbes.probeOf(c.route().operation()) : Optional.empty();
        String before = probe.map(p -> known.computeIfAbsent(p, probes::snapshot)).orElse(null);
        String n = Integer.toString(++sequence);
        byte[] body = c.body() == null ? null : replace(c.body(), n);
        RawHttp.Answer answer = http.send(c.method(), c.target().replace(SEQUENCE, n), c.contentType(), body);
        sent++;
        statuses.merge(answer.status() < 0 ? "none" : answer.status() / 100 + "xx", 1, Integer::sum);
        categories.merge(c.category(), 1, Integer::sum);
        if (answer.millis() > slowest) {
            slowest = answer.millis();
            slowestCase = c.toString();
        }
        judge(c, answer);
        if (c.category().equals("as-is") && answer.status() >= 300) {
            asIsRefused.put(c.route().routeKey(), answer.status());
        }
        probe.ifPresent(p -> {
            String after = probes.snapshot(p);
            if (answer.status() >= 400 && answer.status() < 500 && !after.equals(before)) {
                violations.add(c + " -> " + answer.status() + " but changed what it may not: " + difference(before,
                        after));
            }
            known.put(p, after);
        });
        return answer;
    }

    private void judge(FuzzCase c, RawHttp.Answer answer) {
        if (answer.status() < 0) {
            violations.add(c + " -> no answer: " + answer.failure());
            return;
        }
        if (answer.millis() > MAX_MILLIS) {
            violations.add(c + " -> took " + answer.millis() + " ms");
        }
        if (answer.status() >= 500) {
            violations.add(c + " -> " + answer.status() + " " + shown(answer.text()));
        }
        if (c.mustRefuse() && (answer.status() < 400 || answer.status() >= 500)) {
            violations.add(c + " -> " + answer.status() + ", not a 4xx: " + shown(answer.text()));
        }
        if (answer.status() >= 400 && !c.method().equals("HEAD") && !errorShaped(c, answer)) {
            violations.add(c + " -> " + answer.status() + " without an MLflow-shaped JSON error ("
                    + answer.contentType() + "): " + shown(answer.text()));
        }
    }

    private static boolean errorShaped(FuzzCase c, RawHttp.Answer answer) {
        if (!answer.contentType().startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode error = RequestShape.JSON.readTree(answer.body());
            if (error == null || !error.isObject()) {
                return false;
            }
            boolean openInference = c.target().startsWith("/v2") && error.path("error").isTextual();
            return openInference || error.path("error_code").isTextual() && error.path("message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    List<String> violations() {
        return violations;
    }

    String summary() {
        return sent + " requests; answers " + statuses + "; by kind " + categories + "; slowest " + slowest + " ms ("
                + slowestCase + "); catalog requests answered other than 2xx (aimed at what does not exist, or"
                + " refused as MLflow refuses them): " + asIsRefused;
    }

    private static byte[] replace(byte[] body, String n) {
        String marker = SEQUENCE;
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.contains(marker) ? text.replace(marker, n).getBytes(StandardCharsets.ISO_8859_1) : body;
    }

    /** The two snapshots around their first difference. */
    private static String difference(String before, String after) {
        int at = 0;
        while (at < Math.min(before.length(), after.length()) && before.charAt(at) == after.charAt(at)) {
            at++;
        }
        int from = Math.max(0, at - 120);
        return "was ..." + before.substring(from, Math.min(before.length(), at + 120)) + "..., now ..."
                + after.substring(from, Math.min(after.length(), at + 120)) + "...";
    }

    private static String shown(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "...(" + text.length() + " chars)" : text;
    }
}
