/**
 * How profiles are computed and stored: moments, deciles, the sketch accumulators and the binary and JSON
 * codecs. Not API: callers use {@code io.capstan.profile}.
 */
package io.capstan.profile.internal;
