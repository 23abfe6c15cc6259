package io.capstan.local.pipeline;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the state machine runner posts Task states, and the secret it must show there: the platform's own listener,
 * never the public gateway.
 *
 * @param url    the task endpoint, {@code http://127.0.0.1:<port>/_local/pipeline/tasks}, then {@code /<model>}
 * @param secret the per-process secret, sent in {@link io.capstan.local.internal.PlatformEndpoints#SECRET_HEADER}
 */
public record TaskEndpoint(String url, String secret) {

    public TaskEndpoint {
        if (url == null || !url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("the task endpoint must be on 127.0.0.1, got " + url);
        }
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the task endpoint needs its secret");
        }
    }

    /** The endpoint at {@code path} of the same listener, with the same secret. */
    public TaskEndpoint at(String path) {
        int start = url.indexOf('/', "http://".length());
        return new TaskEndpoint((start < 0 ? url : url.substring(0, start)) + path, secret);
    }

    /** The endpoint of one model's tasks. */
    public TaskEndpoint forModel(String model) {
        return new TaskEndpoint(url + "/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20"),
                secret);
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "TaskEndpoint[" + url + "]";
    }
}
