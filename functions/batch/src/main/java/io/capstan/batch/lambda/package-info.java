/** The batch API's Lambda entry point. */
package io.capstan.batch.lambda;
