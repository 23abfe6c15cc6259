package io.capstan.trainer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.math.Parameters;
import org.tribuo.math.StochasticGradientOptimiser;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;
import org.tribuo.math.optimisers.AdaGrad;

class EpochHistoryTest {

    @TempDir
    Path temp;

    @Test
    void checkpoints_withinBudget_everyEpoch() {
        assertThat(EpochHistory.checkpoints(5, 100, 1_500)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void checkpoints_overBudget_evenlySpacedEndingAtTheLastEpoch() {
        assertThat(EpochHistory.checkpoints(20, 100, 100 * 20 * 3)).containsExactly(4, 8, 12, 16, 20);
        assertThat(EpochHistory.checkpoints(10, 100, 100 * 10 * 2)).containsExactly(3, 7, 10);
    }

    @Test
    void checkpoints_budgetBelowOneTraining_onlyTheLastEpoch() {
        assertThat(EpochHistory.checkpoints(50, 1_000_000, 0)).containsExactly(50);
    }

    @Test
    void line_epochMetrics_matchesTheDocumentedFormat() {
        EpochHistory.EpochMetrics metrics = new EpochHistory.EpochMetrics(3, 0.1234, 0.956, 0.9561, 0.12);

        assertThat(EpochHistory.line(metrics, 20)).isEqualTo("epoch=3/20 train:log_loss=0.123400 "
                + "train:accuracy=0.956000 validation:accuracy=0.956100 validation:log_loss=0.120000");
    }

    /**
     * The claim the history rests on: a model trained for k epochs with a fresh trainer has exactly the parameters
     * the N-epoch training had after its k-th epoch. A probe optimiser snapshots the N-epoch run at each epoch end.
     */
    @Test
    void create_kEpochs_equalsTheNEpochTrainingsStateAfterEpochK() throws IOException {
        HyperParameters hyperParameters = HyperParameters.parse(null, Map.of());
        LabelledRows rows = new CsvChannel("train", copy("iris.csv")).read("label", List.of());
        Standardization scaling = Standardization.fit(rows.features());
        MutableDataset<Label> dataset = TribuoData.dataset(rows, scaling, OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0,
                ZoneOffset.UTC));
        int epochs = 6;
        List<DenseMatrix> snapshots = new ArrayList<>();
        new LinearSGDTrainer(new LogMulticlass(), new EpochProbe(new AdaGrad(0.1, 0.1), rows.size(), snapshots),
                epochs, -1, 1, hyperParameters.seed()).train(dataset);

        assertThat(snapshots).hasSize(epochs);
        for (int k = 1; k <= epochs; k++) {
            LinearSGDModel model = (LinearSGDModel) TribuoTrainers.create(hyperParameters, k, 4).train(dataset);
            assertThat(values(model.getWeightsCopy())).as("epoch %d", k).isEqualTo(values(snapshots.get(k - 1)));
        }
    }

    private Path copy(String dataSet) throws IOException {
        Path channel = Files.createDirectories(temp.resolve("train"));
        try (InputStream in = EpochHistoryTest.class.getResourceAsStream("/data/" + dataSet)) {
            Files.copy(in, channel.resolve(dataSet));
        }
        return channel;
    }

    private static double[][] values(DenseMatrix matrix) {
        double[][] values = new double[matrix.getDimension1Size()][matrix.getDimension2Size()];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                values[i][j] = matrix.get(i, j);
            }
        }
        return values;
    }

    /** Delegates to an optimiser and copies the weights at the end of every epoch (minibatch size 1). */
    private static final class EpochProbe implements StochasticGradientOptimiser {
        private final StochasticGradientOptimiser delegate;
        private final int stepsPerEpoch;
        private final List<DenseMatrix> snapshots;
        private Parameters parameters;
        private long steps;

        EpochProbe(StochasticGradientOptimiser delegate, int stepsPerEpoch, List<DenseMatrix> snapshots) {
            this.delegate = delegate;
            this.stepsPerEpoch = stepsPerEpoch;
            this.snapshots = snapshots;
        }

        @Override
        public void initialise(Parameters parameters) {
            this.parameters = parameters;
            delegate.initialise(parameters);
        }

        @Override
        public Tensor[] step(Tensor[] updates, double weight) {
            // the trainer applies a step's update after step() returns: here the previous step's is in place
            if (steps > 0 && steps % stepsPerEpoch == 0) {
                snapshot();
            }
            steps++;
            return delegate.step(updates, weight);
        }

        @Override
        public void finalise() {
            snapshot();
            delegate.finalise();
        }

        @Override
        public void reset() {
            delegate.reset();
        }

        @Override
        public StochasticGradientOptimiser copy() {
            return new EpochProbe(delegate.copy(), stepsPerEpoch, snapshots);
        }

        @Override
        public ConfiguredObjectProvenance getProvenance() {
            return new ConfiguredObjectProvenanceImpl(this, "StochasticGradientOptimiser");
        }

        private void snapshot() {
            snapshots.add((DenseMatrix) parameters.get()[0].copy());
        }
    }
}
