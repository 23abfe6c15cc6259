/**
 * Load generators run against a live server on loopback ({@code scripts/bench-*.sh}); their results go to
 * {@code docs/PERFORMANCE.md}.
 */
package io.capstan.local.bench;
