package io.capstan.predict.tensor;

import io.capstan.predict.input.OipRequestFields;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Open Inference Protocol v2 infer request on the tensor path.
 *
 * @param id               the request's {@code id}, echoed in the response; null when it had none
 * @param inputs           the tensors by name, in request order, each in its declared shape
 * @param requestedOutputs the names under {@code outputs}; empty means every output
 * @param binaryOutputs    the outputs the response carries as binary data
 */
record OipTensorRequest(String id, Map<String, NdArray> inputs, List<String> requestedOutputs,
                        OipRequestFields.BinaryOutputs binaryOutputs) {
    OipTensorRequest {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        requestedOutputs = List.copyOf(requestedOutputs);
    }
}
