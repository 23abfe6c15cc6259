package io.capstan.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KllWeightsTest {

    /**
     * Guards the one reach into DataSketches' layout: a sketch moved up {@code level} levels answers as the sketch of
     * its values each repeated 2^level times, and stays a working sketch (updates, merges, serialization).
     */
    @ParameterizedTest
    @CsvSource({"2, 1", "150, 3", "5000, 1", "100000, 4", "1000000, 10"})
    void weighted_sketchOfASample_weighsEachItemTwoToTheLevel(int values, int level) {
        Random random = new Random(values);
        KllDoublesSketch sample = KllDoublesSketch.newHeapInstance(1000);
        for (int i = 0; i < values; i++) {
            sample.update(random.nextGaussian());
        }

        KllDoublesSketch weighted = KllWeights.weighted(sample, level);

        assertThat(weighted.getN()).isEqualTo((long) values << level);
        assertThat(weighted.getNumRetained()).isEqualTo(sample.getNumRetained());
        assertThat(weighted.getMinItem()).isEqualTo(sample.getMinItem());
        assertThat(weighted.getMaxItem()).isEqualTo(sample.getMaxItem());
        for (double x : new double[] {-2, -0.5, 0, 0.3, 1.7}) {
            assertThat(weighted.getRank(x, QuantileSearchCriteria.INCLUSIVE))
                    .isEqualTo(sample.getRank(x, QuantileSearchCriteria.INCLUSIVE));
        }
        // merged with weight-1 values of another law, each side counts as its weight says
        KllDoublesSketch main = KllDoublesSketch.newHeapInstance(1000);
        int others = 50_000;
        for (int i = 0; i < others; i++) {
            main.update(10 + random.nextGaussian());
        }
        main.merge(weighted);
        for (int i = 0; i < others; i++) {
            main.update(10 + random.nextGaussian());
        }
        KllDoublesSketch read = KllDoublesSketch.heapify(org.apache.datasketches.memory.Memory.wrap(
                main.toByteArray()));
        double sampleShare = (double) weighted.getN() / (weighted.getN() + 2L * others);
        assertThat(read.getN()).isEqualTo(weighted.getN() + 2L * others);
        assertThat(read.getRank(5, QuantileSearchCriteria.INCLUSIVE)).isCloseTo(sampleShare,
                within(2 * read.getNormalizedRankError(false)));
    }

    @ParameterizedTest
    @CsvSource({"8", "200", "1000"})
    void capacity_isTheLibrarysTotalForEveryDepth(int k) {
        for (int values = 2; values < 3_000_000; values = values * 3 + 1) {
            KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(k);
            double[] block = new double[values];
            Arrays.setAll(block, i -> i);
            sketch.update(block, 0, values);
            // weighted() checks the layout and the capacity of the sketch's levels, and throws when either differs
            assertThat(KllWeights.weighted(sketch, 1).getN()).isEqualTo(2L * values);
        }
        assertThat(KllWeights.capacity(k, 8, 1)).isEqualTo(k);
    }
}
