/**
 * JMH benchmarks of the drift check: exact mode on 3M x 3 columns, sketch mode at two traffic volumes. Compiled with
 * the tests, never run by surefire; the module README says how to run them.
 */
package io.capstan.drift.bench;
