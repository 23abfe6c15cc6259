/** The quality function's Lambda entry point. */
package io.capstan.quality.lambda;
