package io.capstan.local.fuzz;

import io.capstan.http.Route;

/**
 * One request the fuzz sends.
 *
 * @param route       the route it is aimed at
 * @param category    the kind of mutation ({@code malformed}, {@code wrong-type}, {@code oversized}, {@code nul}, …)
 * @param description what was mutated, for the report
 * @param method      the HTTP method sent
 * @param target      the request target as sent: path and query, percent-encoded (or deliberately not)
 * @param contentType the Content-Type header, null for none
 * @param body        the body, null for none
 * @param mustRefuse  whether only a 4xx is a right answer (text that cannot be stored, JSON that is not JSON)
 */
record FuzzCase(Route route, String category, String description, String method, String target, String contentType,
                byte[] body, boolean mustRefuse) {

    /** Whether the request may change what the platform stores. */
    boolean writes() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    @Override
    public String toString() {
        String shownTarget = target.length() > 160 ? target.substring(0, 160) + "...(" + target.length() + ")" : target;
        return route.operation() + " [" + category + ": " + description + "] " + method + " " + shownTarget
                + (body == null ? "" : " (" + body.length + " body bytes)");
    }
}
