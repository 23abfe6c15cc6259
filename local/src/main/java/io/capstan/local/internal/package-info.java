/**
 * Internals of the embedded platform: starting the engines, the data directory lock, the HTTP/1.1 listener the
 * gateway and the platform's own endpoints run on (deadlines on every read, a connection limit, errors in MLflow's
 * shape), and the checks a request's head must pass. Not for callers.
 */
package io.capstan.local.internal;
