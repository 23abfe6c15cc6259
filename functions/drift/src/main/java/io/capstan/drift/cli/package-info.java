/**
 * The drift command line ({@code scripts/drift.sh}): two CSV files in, one JSON report on standard output, an
 * optional HTML report beside it.
 */
package io.capstan.drift.cli;
