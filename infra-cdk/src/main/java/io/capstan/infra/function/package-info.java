/**
 * How a Capstan Lambda function is built: where its shaded jar comes from ({@link
 * io.capstan.infra.function.FunctionCode}) and the construct that gives it a role without managed policies, a
 * log group, SnapStart and an alias ({@link io.capstan.infra.function.CapstanFunction}).
 */
package io.capstan.infra.function;
