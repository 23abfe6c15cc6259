/**
 * JMH benchmarks of the streaming profile's per-row cost. Compiled with the tests, never run by surefire; run
 * them as the module README says.
 */
package io.capstan.profile.bench;
