package io.capstan.registry;

import io.capstan.error.CapstanException;
import io.capstan.error.ErrorCode;
import io.capstan.http.FieldLimits;
import io.capstan.storage.RandomSuffixes;
import io.capstan.tracking.TrackingLimits;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Pattern;

// Lookups and checks both registry services need, with MLflow's messages.
final class RegistryReads {
    static final int MAX_ATTEMPTS = 100;
    private static final Pattern VERSION = Pattern.compile("\\d{1,18}");

    private final RegistryStore store;

    RegistryReads(RegistryStore store) {
        this.store = store;
    }

    Revision<RegisteredModel> model(String name) {
        checkName(name);
        return store.model(name).orElseThrow(() -> CapstanException.notFound(
                "Registered Model with name=" + name + " not found"));
    }

    Revision<ModelVersion> version(String name, long version) {
        model(name);
        return store.version(name, version).orElseThrow(() -> CapstanException.notFound(
                "Model Version (name=" + name + ", version=" + version + ") not found"));
    }

    /** Model names end up in prediction URLs and object keys: {@link RegistryLimits#checkModelName}. */
    static String checkName(String name) {
        return RegistryLimits.checkModelName("name", name);
    }

    static long parseVersion(String text) {
        if (text == null || !VERSION.matcher(text.trim()).matches()) {
            throw CapstanException.invalidParameter("Model version must be an integer, got '"
                    + FieldLimits.shown(text) + "'");
        }
        return Long.parseLong(text.trim());
    }

    static void checkTag(String key, String value) {
        TrackingLimits.checkKey("tag", key);
        TrackingLimits.checkTagValue(key, value, RegistryLimits.MAX_TAG_VALUE_LENGTH);
    }

    /** Runs an optimistic write until it commits; the attempt returns null when it lost a race and must re-read. */
    static <T> T retry(String what, Supplier<T> attempt) {
        for (int i = 0; i < MAX_ATTEMPTS; i++) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            LockSupport.parkNanos(RandomSuffixes.between(50_000, 200_000L << Math.min(i, 6)));
        }
        throw new CapstanException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Too many concurrent changes to " + what
                + "; retry the request.");
    }
}
