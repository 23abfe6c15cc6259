/**
 * ONNX Runtime behind the predict function: one {@link ai.onnxruntime.OrtEnvironment}, a cache of sessions keyed by
 * model name and version and checked against the registry's SHA-256 (a version loads once per container; a changed
 * checksum for the same version loads again), the loaded graph's inputs and outputs, a check that a tabular model's
 * graph matches its card, inference on a direct buffer (tabular) or on named tensors, and the outputs decoded into Java
 * arrays (tensors of any element type, ZipMap sequences of maps) with a tabular model's probabilities read in its card's
 * label order.
 */
package io.capstan.predict.onnx;
