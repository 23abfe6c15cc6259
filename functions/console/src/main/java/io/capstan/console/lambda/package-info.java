/** The console function's Lambda entry point. */
package io.capstan.console.lambda;
