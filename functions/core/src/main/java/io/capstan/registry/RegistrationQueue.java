package io.capstan.registry;

/**
 * Where registrations too long for a request go: something that calls
 * {@link RegistryService#completeRegistration(String, long)} for the version later, outside the request (in AWS the
 * registry function invoking itself asynchronously, on the local platform a background thread). A version may be
 * delivered more than once; completing it again changes nothing.
 */
@FunctionalInterface
public interface RegistrationQueue {

    /**
     * Hands over a version stored as {@code PENDING_REGISTRATION}.
     *
     * @throws RuntimeException when it cannot be handed over; the version then fails registration at once
     */
    void submit(String name, long version);
}
