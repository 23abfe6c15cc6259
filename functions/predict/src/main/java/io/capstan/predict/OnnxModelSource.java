package io.capstan.predict;

/** Where a resolved version's ONNX bytes come from; read only when the serving container has not loaded them yet. */
@FunctionalInterface
public interface OnnxModelSource {

    /**
     * The serialized ONNX model.
     *
     * @throws io.capstan.error.CapstanException {@code TEMPORARILY_UNAVAILABLE} (retryable) when the artifact store
     *                                           cannot be read, {@code RESOURCE_DOES_NOT_EXIST} when the artifact is gone
     */
    byte[] fetch();
}
