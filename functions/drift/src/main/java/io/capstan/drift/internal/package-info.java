/**
 * The statistics behind the drift engine: ports of SciPy's Kolmogorov-Smirnov distributions, Wasserstein, PSI,
 * Jensen-Shannon, chi-square and z tests on exact samples and on KLL sketches, the per-column tester, and the
 * JSON and HTML renderers. Not API.
 */
package io.capstan.drift.internal;
