package io.capstan.trainer.testutils;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.capstan.model.ModelCard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs a trained model directory's {@code model.onnx} in ONNX Runtime on the RAW feature values of
 * {@code validation-predictions.csv}, and compares its output with Tribuo's probabilities in the same file.
 */
public final class OnnxParity {

    private OnnxParity() {
    }

    /**
     * ONNX Runtime's output next to Tribuo's.
     *
     * @param onnx   ONNX Runtime's probabilities, per row in card label order
     * @param tribuo Tribuo's probabilities, per row in card label order
     */
    public record Comparison(float[][] onnx, double[][] tribuo) {

        public double maxAbsoluteDifference() {
            double max = 0;
            for (int i = 0; i < onnx.length; i++) {
                for (int j = 0; j < onnx[i].length; j++) {
                    max = Math.max(max, Math.abs(onnx[i][j] - tribuo[i][j]));
                }
            }
            return max;
        }

        public boolean allFinite() {
            return Arrays.stream(onnx).allMatch(row -> {
                for (float value : row) {
                    if (!Float.isFinite(value)) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    public static Comparison compare(Path modelDir) {
        try {
            ModelCard card = ModelCard.fromJson(Files.readAllBytes(modelDir.resolve(ModelCard.FILE_NAME)));
            List<String> lines = Files.readAllLines(modelDir.resolve("validation-predictions.csv"));
            List<String> header = Arrays.asList(lines.get(0).split(","));
            int rows = lines.size() - 1;
            float[][] features = new float[rows][card.features().size()];
            double[][] tribuo = new double[rows][card.outputLabels().size()];
            for (int i = 0; i < rows; i++) {
                String[] cells = lines.get(i + 1).split(",");
                for (int j = 0; j < card.features().size(); j++) {
                    features[i][j] = (float) Double.parseDouble(cells[header.indexOf(card.features().get(j))]);
                }
                for (int j = 0; j < card.outputLabels().size(); j++) {
                    tribuo[i][j] = Double.parseDouble(
                            cells[header.indexOf("probability:" + card.outputLabels().get(j))]);
                }
            }
            return new Comparison(run(modelDir.resolve("model.onnx"), card, features), tribuo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[][] run(Path model, ModelCard card, float[][] features) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession session = environment.createSession(model.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(environment, features);
             OrtSession.Result result = session.run(Map.of(card.inputTensor(), input))) {
            return (float[][]) result.get(card.outputTensor()).orElseThrow().getValue();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on " + model, e);
        }
    }
}
