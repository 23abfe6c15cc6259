/**
 * The predict function's AWS Lambda entry point for API Gateway HTTP API (payload 2.0) events: a stream handler that
 * reads and writes the events with Jackson's streaming parser, points ONNX Runtime at the native libraries shipped
 * extracted in the deployment package, and primes the hot models before a SnapStart snapshot.
 */
package io.capstan.predict.lambda;
