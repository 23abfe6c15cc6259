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

    @Test
    void sortedPresent_integerValuedColumnWithNaN_matchesArraysSortOfThePresentValues() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[200_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 97 == 0 ? Double.NaN : random.nextInt(-60, 900);
        }
        values[5] = -0.0;
        values[6] = 0.0;

        double[] sorted = SortedColumns.sortedPresent(values);

        assertThat(SortedColumns.fewDistinct(sorted)).isTrue();
        assertThat(sorted).containsExactly(expected(values));
        int firstZero = 0;
        while (sorted[firstZero] < 0) {
            firstZero++;
        }
        assertThat(Double.doubleToRawLongBits(sorted[firstZero])).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(sorted[firstZero + 1])).isEqualTo(0L);
    }

    @Test
    void sortedPresent_continuousColumn_matchesArraysSort() {
        SplittableRandom random = new SplittableRandom(4);
        double[] values = new double[150_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * 1e3;
        }

        double[] sorted = SortedColumns.sortedPresent(values);

        assertThat(SortedColumns.fewDistinct(values)).isFalse();
        assertThat(sorted).containsExactly(expected(values));
    }

    @Test
    void countingSort_moreDistinctValuesThanItCounts_leavesTheArrayAndDeclines() {
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2 == 0 ? 1.0 : values.length - i;
        }
        double[] copy = values.clone();

        boolean sorted = SortedColumns.countingSort(values);

        assertThat(sorted).isFalse();
        assertThat(values).containsExactly(copy);
    }

    @Test
    void sortedPresent_tiesWithManyDistinctTailValues_fallsBackAndStillSorts() {
        double[] values = new double[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 4 != 0 ? i % 7 : i * 0.5;
        }

        double[] sorted = SortedColumns.sortedPresent(values);

        assertThat(sorted).containsExactly(expected(values));
    }

    private static double[] expected(double[] values) {
        double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        Arrays.sort(present);
        return present;
    }
}
