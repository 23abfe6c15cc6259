/**
 * Capstan's error model: one unchecked root exception carrying an MLflow-compatible error code, and the
 * code-to-HTTP-status table every adapter uses to write {@code {"error_code", "message"}}.
 */
package io.capstan.error;
