package io.capstan.predict.function;

import io.capstan.predict.ModelReference;
import java.time.Duration;

/** What priming one hot model came to: loaded and run, or failed (priming goes on with the next model). */
public sealed interface PrimeOutcome permits PrimeOutcome.Primed, PrimeOutcome.Failed {

    ModelReference reference();

    /**
     * The model was loaded and answered one request on each protocol.
     *
     * @param version the version that answered
     * @param took    loading and both inferences
     */
    record Primed(ModelReference reference, String version, Duration took) implements PrimeOutcome {
    }

    /**
     * The model could not be primed; requests for it will load it on demand.
     *
     * @param reason what went wrong, as the error response said it
     */
    record Failed(ModelReference reference, String reason) implements PrimeOutcome {
    }
}
