/**
 * Capstan's CDK app: {@link io.capstan.infra.CapstanApp} wires the stateful storage stack, the retraining pipeline
 * stack, the API stack and the monitoring stack, and applies cdk-nag's AwsSolutions checks to everything. Stacks
 * live in feature packages; constructs build.
 */
package io.capstan.infra;
