/**
 * Benchmarks, compiled with the tests and never run by {@code mvn verify}: JMH latency of the predict function beside
 * raw ONNX Runtime ({@link io.capstan.predict.bench.PredictBenchmark}) and the fixture for the whole-process cold start
 * measurement ({@link io.capstan.predict.bench.ColdStartFixture}). {@code functions/predict/bench/run-benchmarks.sh}
 * runs both.
 */
package io.capstan.predict.bench;
