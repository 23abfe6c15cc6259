/**
 * Checking a model with the runtime that serves it: {@link io.capstan.registration.onnx.OnnxModelCheck} loads an ONNX
 * file in ONNX Runtime and compares it with its model card.
 */
package io.capstan.registration.onnx;
