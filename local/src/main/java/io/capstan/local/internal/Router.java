package io.capstan.local.internal;

import io.capstan.http.HttpRequest;
import io.capstan.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Decides, from a request's head alone, whether a listener answers it at once or reads its body and invokes. */
@FunctionalInterface
public interface Router {

    /** What to do with a request whose head is {@code head}; never null. */
    Routing route(RequestHead head);

    /** What a router decided. */
    sealed interface Routing permits Answer, Invoke {
    }

    /** Answer with {@code response}; the body, if any, is never handed to anyone. */
    record Answer(HttpResponse response) implements Routing {
    }

    /**
     * Read the body and pass the request on.
     *
     * @param function     gives the response, now or later: the connection's thread is not held while it waits
     * @param maxBodyBytes a longer body is answered with {@code tooLarge} instead
     * @param tooLarge     the answer to a body over {@code maxBodyBytes}
     */
    record Invoke(Function<HttpRequest, CompletionStage<HttpResponse>> function, int maxBodyBytes,
                  HttpResponse tooLarge) implements Routing {
    }
}
