package io.capstan.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SortedColumnsTest {

    @Test
    void sort_largeMixedArray_sameOrderAsArraysSort() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[300_000];
        for (int i = 0; i < values.length; i++) {
            int kind = random.nextInt(10);
            values[i] = switch (kind) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> Double.MAX_VALUE;
                case 4 -> -Double.MIN_VALUE;
                default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-300, 300));
            };
        }
        double[] expected = values.clone();
        Arrays.sort(expected);

        SortedColumns.sort(values);

        assertThat(values).isEqualTo(expected);
    }

    @Test
    void quantiles_numpyLinear_interpolatesFromTheUpperNeighbourAtHalfOrMore() {
        double[] sorted = {0, 10, 20, 30};

        double[] q = SortedColumns.quantiles(sorted, new double[] {0.0, 0.5, 1.0, 0.1});

        assertThat(q).containsExactly(0.0, 15.0, 30.0, 3.0000000000000004);
    }
}
