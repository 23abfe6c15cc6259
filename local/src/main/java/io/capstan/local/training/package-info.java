/**
 * Training on this machine: Capstan's trainer run as a local process on the SageMaker training container contract,
 * in a temporary folder shaped like {@code /opt/ml}.
 */
package io.capstan.local.training;
