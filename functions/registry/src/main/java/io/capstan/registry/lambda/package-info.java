/** The registry function's Lambda entry point. */
package io.capstan.registry.lambda;
