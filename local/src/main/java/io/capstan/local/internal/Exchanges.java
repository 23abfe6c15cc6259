package io.capstan.local.internal;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.HttpResponse;
import io.capstan.http.JsonResponses;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pieces of HTTP the local listeners share with their routers: errors in MLflow's shape. */
public final class Exchanges {

    private Exchanges() {
    }

    /** An error in MLflow's shape {@code {"error_code": ..., "message": ...}}, with the code's HTTP status. */
    public static HttpResponse error(ErrorCode code, String message) {
        return JsonResponses.error(new CapstanException(code, message));
    }

    /**
     * An error in MLflow's shape with a status of its own, for the few HTTP answers MLflow's codes have no status for
     * (405 with its {@code Allow} header, 408, 414).
     */
    public static HttpResponse error(int status, ErrorCode code, String message, Map<String, String> headers) {
        HttpResponse error = error(code, message);
        Map<String, String> all = new LinkedHashMap<>(error.headers());
        all.putAll(headers);
        return new HttpResponse(status, all, error.body());
    }

    /** At most 200 characters of client text for a message, control characters escaped. */
    public static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length() + 2).append('\'');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.append('\'').toString();
    }
}
