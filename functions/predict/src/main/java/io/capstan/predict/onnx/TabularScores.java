package io.capstan.predict.onnx;

import io.capstan.error.CapstanException;
import io.capstan.model.ModelCard;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads a tabular model's raw outputs as its card describes them: the probabilities (a {@code [rows, labels]} matrix,
 * or one ZipMap per row whose keys are matched to the card's labels as strings) in the card's label order, and the
 * label output's value per row as the predicted label. A regressor's outputs are checked for one value per row.
 */
final class TabularScores {
    private final ModelCard card;
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final BiFunction<String, Throwable, CapstanException> failure;

    TabularScores(ModelCard card, BiFunction<String, Throwable, CapstanException> failure) {
        this.card = card;
        this.failure = failure;
        List<String> labels = card.outputLabels();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
    }

    Scores scores(ModelOutputs outputs, int rows) {
        OutputValue output = outputs.require(card.outputTensor());
        if (card.task() == ModelCard.Task.REGRESSION) {
            if (!(output instanceof OutputValue.Tensor tensor) || tensor.size() != rows) {
                throw fail("its output '" + card.outputTensor() + "' answered " + describe(output) + " for " + rows
                        + " rows; a regressor answers one value per row");
            }
            return Scores.regression(rows);
        }
        float[] probabilities = card.probabilities() == ModelCard.ProbabilityLayout.ZIPMAP
                ? fromMaps(output, rows) : fromMatrix(output, rows);
        int[] chosen = card.labelOutput() == null ? null : chosen(outputs.require(card.labelOutput()), rows);
        return new Scores(rows, labelIndex.size(), probabilities, chosen);
    }

    private float[] fromMatrix(OutputValue output, int rows) {
        int labels = labelIndex.size();
        if (!(output instanceof OutputValue.Tensor tensor) || tensor.size() != rows * labels
                || tensor.type() == ElementType.STRING) {
            throw fail("it answered " + describe(output) + " for " + rows + " rows of " + labels + " labels");
        }
        if (tensor.data() instanceof float[] values) {
            return values;
        }
        float[] values = new float[rows * labels];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) tensor.number(i);
        }
        return values;
    }

    private float[] fromMaps(OutputValue output, int rows) {
        int labels = labelIndex.size();
        if (!(output instanceof OutputValue.Maps maps) || maps.rows() != rows) {
            throw fail("its output '" + card.outputTensor() + "' answered " + describe(output) + " for " + rows
                    + " rows; the card says one label-to-probability map per row");
        }
        float[] values = new float[rows * labels];
        Map<Object, Integer> positions = new HashMap<>(labels * 2);
        for (int row = 0; row < rows; row++) {
            Map<Object, Number> map = maps.rowMaps().get(row);
            if (map.size() != labels) {
                throw fail("its output '" + card.outputTensor() + "' maps " + map.size() + " labels at row " + row
                        + " but the card lists " + labels);
            }
            for (Map.Entry<Object, Number> entry : map.entrySet()) {
                Integer position = positions.computeIfAbsent(entry.getKey(),
                        key -> labelIndex.get(String.valueOf(key)));
                if (position == null) {
                    throw fail("its output '" + card.outputTensor() + "' has label " + entry.getKey()
                            + ", which the card does not list (it lists " + card.outputLabels() + ")");
                }
                values[row * labels + position] = entry.getValue().floatValue();
            }
        }
        return values;
    }

    private int[] chosen(OutputValue output, int rows) {
        if (!(output instanceof OutputValue.Tensor tensor) || tensor.size() != rows) {
            throw fail("its label output '" + card.labelOutput() + "' answered " + describe(output) + " for " + rows
                    + " rows");
        }
        int[] chosen = new int[rows];
        for (int row = 0; row < rows; row++) {
            Integer position = labelIndex.get(tensor.text(row));
            if (position == null) {
                throw fail("its label output '" + card.labelOutput() + "' answered " + tensor.text(row)
                        + ", which the card does not list (it lists " + card.outputLabels() + ")");
            }
            chosen[row] = position;
        }
        return chosen;
    }

    private static String describe(OutputValue output) {
        if (output instanceof OutputValue.Tensor tensor) {
            return "a " + tensor.type().onnxName() + " tensor of shape " + Arrays.toString(tensor.shape());
        }
        return output.rows() + " maps";
    }

    private CapstanException fail(String what) {
        return failure.apply(what, null);
    }
}
