/**
 * Champion against challenger: {@link io.capstan.quality.abtest.AbTests} compares two model versions on the
 * labelled traffic each served, with a pooled two-proportion z-test for rates (accuracy) or a seeded bootstrap for
 * any other metric (MAE, F1), and says whether the challenger is better, worse, or not yet known, with the
 * interval of the difference, the p-value and the rows per arm a given effect needs.
 */
package io.capstan.quality.abtest;
