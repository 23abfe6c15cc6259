package io.capstan.pipeline.tasks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.capstan.model.ModelCard;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores a model on holdout rows with ONNX Runtime, the runtime that serves it: the rows' feature columns are
 * taken in the model card's order, passed as one direct float tensor, and the output probabilities compared with
 * the rows' labels.
 */
public final class OnnxEvaluation {
    private final OrtEnvironment environment;

    public OnnxEvaluation(OrtEnvironment environment) {
        this.environment = environment;
    }

    /**
     * Scores {@code onnx} on every row of {@code holdout}.
     *
     * @throws TaskFailure EvaluationFailed when the model cannot run on the rows (the card names a column the
     *                     holdout lacks, ONNX Runtime refuses the model)
     */
    public ClassificationScores score(byte[] onnx, ModelCard card, LabelledDataset holdout, String labelColumn) {
        int rows = holdout.rows().size();
        int features = card.features().size();
        int[] columns = new int[features];
        for (int f = 0; f < features; f++) {
            columns[f] = holdout.column(card.features().get(f));
            if (columns[f] < 0) {
                throw new TaskFailure("EvaluationFailed", "the holdout lacks column '" + card.features().get(f)
                        + "' that the model takes", "");
            }
        }
        int label = holdout.column(labelColumn);
        FloatBuffer input = ByteBuffer.allocateDirect(rows * features * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        List<String> truth = new ArrayList<>(rows);
        for (List<String> row : holdout.rows()) {
            for (int column : columns) {
                input.put(Float.parseFloat(row.get(column)));
            }
            truth.add(row.get(label));
        }
        input.rewind();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = environment.createSession(onnx, options);
             OnnxTensor tensor = OnnxTensor.createTensor(environment, input, new long[] {rows, features});
             OrtSession.Result result = session.run(Map.of(card.inputTensor(), tensor))) {
            OnnxValue output = result.get(card.outputTensor()).orElseThrow(() -> new TaskFailure("EvaluationFailed",
                    "the model has no output '" + card.outputTensor() + "'", ""));
            float[][] probabilities = (float[][]) output.getValue();
            return ClassificationScores.of(probabilities, card.outputLabels(), truth);
        } catch (OrtException | ClassCastException e) {
            throw new TaskFailure("EvaluationFailed", "ONNX Runtime could not score the model on the holdout: "
                    + e.getMessage(), "");
        }
    }
}
