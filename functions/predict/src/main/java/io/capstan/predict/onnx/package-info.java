/**
 * ONNX Runtime behind the predict function: one {@link ai.onnxruntime.OrtEnvironment}, a cache of sessions keyed by
 * model name and version and checked against the registry's SHA-256 (a version loads once per container; a changed
 * checksum for the same version loads again), a check that the ONNX graph matches its model card, and inference on a
 * direct float buffer.
 */
package io.capstan.predict.onnx;
