/**
 * Test support: Tribuo models trained and exported to ONNX once per JVM, the converter fixtures (skl2onnx, onnxmltools,
 * torch.onnx MLflow model folders with their reference answers) read in place from the model-format module, small ONNX
 * models built here for other input types, in-memory registries (the only fakes: pure logic), the predict routes as the
 * shared route table lists them, request builders for every input format, ONNX Runtime's own reference answers, JSON
 * comparisons within a tolerance, the one predict-function fixture ({@link io.capstan.predict.testutils.PredictFixture}),
 * an S3Proxy with a bucket per test, and the Lambda task root as Lambda unpacks the deployment package.
 */
package io.capstan.predict.testutils;
