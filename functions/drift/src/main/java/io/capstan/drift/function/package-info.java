/** The drift function's HTTP API, independent of Lambda. */
package io.capstan.drift.function;
