/**
 * The predict function: {@link io.capstan.predict.function.PredictFunction}, a plain
 * {@code Function<HttpRequest, HttpResponse>} serving the MLflow scoring protocol ({@code POST /models/{name}/invocations})
 * and the Open Inference Protocol v2 ({@code /v2/...}) on ONNX Runtime. Requests are matched against the predict routes
 * of the shared route table; the route's operation (see {@link io.capstan.predict.function.PredictOperations}) picks the
 * handler, and each protocol has one error translator: MLflow's {@code {"error_code", "message"}} and OIP's
 * {@code {"error": "..."}}. A model with a card goes the tabular path, any other the tensor path; a model of Capstan's
 * flavor answers in Capstan's shape, one of an MLflow flavor as MLflow's pyfunc server does. Every answer from a model
 * names its version in the body and in the {@code X-Capstan-Model-Version} header.
 */
package io.capstan.predict.function;
