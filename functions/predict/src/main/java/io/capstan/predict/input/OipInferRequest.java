package io.capstan.predict.input;

import java.util.List;
import java.util.Objects;

/**
 * A parsed Open Inference Protocol v2 infer request.
 *
 * @param id               the request's {@code id}, echoed in the response; null when the request had none
 * @param features         the rows, in the card's column order; the caller closes it
 * @param requestedOutputs the names under {@code outputs}, in request order; empty means every output
 * @param ids              the rows' prediction ids from the id column the request was read with; null without one
 * @param binaryOutputs    the outputs the response carries as binary data
 */
public record OipInferRequest(String id, FeatureMatrix features, List<String> requestedOutputs, String[] ids,
                              OipRequestFields.BinaryOutputs binaryOutputs) {
    public OipInferRequest {
        Objects.requireNonNull(features, "features");
        requestedOutputs = List.copyOf(requestedOutputs);
    }
}
