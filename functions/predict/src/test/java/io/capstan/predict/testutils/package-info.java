/**
 * Test support: Tribuo models trained and exported to ONNX once per JVM, an in-memory model registry (the only fake:
 * pure logic), the predict routes as the shared route table will list them, request builders for every input format,
 * ONNX Runtime's own reference answers, and the Lambda task root as Lambda unpacks the deployment package.
 */
package io.capstan.predict.testutils;
