/**
 * What Capstan knows about a model independent of where it is registered: its {@link io.capstan.model.ModelCard}
 * (input columns, output labels, tensor names), written by the trainer beside the ONNX file, checked by the
 * registry and followed by the predict function.
 */
package io.capstan.model;
