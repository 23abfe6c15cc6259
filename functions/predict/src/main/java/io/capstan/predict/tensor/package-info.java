/**
 * The tensor path: models without a model card (several named inputs, typed or per-column inputs, image tensors,
 * models without a signature) served with MLflow 2.12's pyfunc semantics. Requests are read token by token into
 * n-dimensional arrays that keep each JSON value's kind, made a data frame, named arrays or one array as MLflow's
 * scoring server makes them, checked against the MLflow signature as {@code _enforce_schema} does, and fed to ONNX
 * Runtime as {@code mlflow.onnx._OnnxModelWrapper.predict} feeds them, converted to each input's element type and
 * checked against the graph's shapes. Every request is bounded by a limit on the values it carries.
 */
package io.capstan.predict.tensor;
