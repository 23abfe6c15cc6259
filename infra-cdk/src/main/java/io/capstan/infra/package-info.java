/**
 * Capstan's CDK app: {@link io.capstan.infra.CapstanApp} wires the stateful storage stack and the API stack
 * and applies cdk-nag's AwsSolutions checks to everything. Stacks live in feature packages; constructs build.
 */
package io.capstan.infra;
