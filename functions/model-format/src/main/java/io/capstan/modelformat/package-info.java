/**
 * Reading a model as it arrives at the registry: MLflow's {@code MLmodel} file ({@link io.capstan.modelformat.MlModel}),
 * an ONNX file's graph and classifier labels ({@link io.capstan.modelformat.OnnxModelFile}), and the serving manifest
 * derived from them ({@link io.capstan.modelformat.ServingDerivation}): whether the model can be served, as a table of
 * named columns or as named tensors, and what contradicts what when it cannot be what it claims.
 */
package io.capstan.modelformat;
