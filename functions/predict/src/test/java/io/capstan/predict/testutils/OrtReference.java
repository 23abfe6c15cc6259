package io.capstan.predict.testutils;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;

/** ONNX Runtime's own answer for rows, through its plain {@code float[][]} API and a session of its own. */
public final class OrtReference {
    private OrtReference() {
    }

    /** Probabilities per row, for the first {@code rows} rows of {@code model} in card order. */
    public static float[][] probabilities(TrainedModel model, int rows) {
        float[][] input = new float[rows][];
        for (int r = 0; r < rows; r++) {
            input[r] = model.rowInCardOrder(r);
        }
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model.onnx());
             OnnxTensor tensor = OnnxTensor.createTensor(environment, input);
             OrtSession.Result result = session.run(Map.of(model.card().inputTensor(), tensor))) {
            return (float[][]) result.get(model.card().outputTensor()).orElseThrow().getValue();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
