/** The drift function's Lambda entry point and its AWS adapters (Step Functions, CloudWatch metrics). */
package io.capstan.drift.lambda;
