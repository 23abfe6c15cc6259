/**
 * The end-to-end demo's client ({@code scripts/demo.sh}): trains with Capstan's trainer, records the run through
 * MLflow's Java client, and drives the platform's APIs as a user would.
 */
package io.capstan.local.demo;
