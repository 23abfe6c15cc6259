package io.capstan.drift.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Tests on category counts (missing values excluded), computed as Evidently's stattests do; the categories are
 * the union of those seen in either sample.
 */
public final class CategoryStatistics {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private final List<String> keys;
    private final double[] reference;
    private final double[] current;
    private final double referenceTotal;
    private final double currentTotal;

    public CategoryStatistics(Map<String, Long> referenceCounts, Map<String, Long> currentCounts) {
        Set<String> union = new LinkedHashSet<>(referenceCounts.keySet());
        union.addAll(currentCounts.keySet());
        keys = new ArrayList<>(union);
        reference = new double[keys.size()];
        current = new double[keys.size()];
        double rt = 0;
        double ct = 0;
        for (int i = 0; i < keys.size(); i++) {
            reference[i] = referenceCounts.getOrDefault(keys.get(i), 0L);
            current[i] = currentCounts.getOrDefault(keys.get(i), 0L);
            rt += reference[i];
            ct += current[i];
        }
        referenceTotal = rt;
        currentTotal = ct;
    }

    public int categories() {
        return keys.size();
    }

    public List<String> keys() {
        return List.copyOf(keys);
    }

    public double[] referenceProportions() {
        return scale(reference, referenceTotal);
    }

    public double[] currentProportions() {
        return scale(current, currentTotal);
    }

    /**
     * Evidently's {@code chisquare} stattest: SciPy's {@code chisquare(f_obs=current counts, f_exp=reference counts *
     * n_current / n_reference)}, {@code k - 1} degrees of freedom. A category absent from the reference makes the
     * statistic infinite and p = 0; a single category gives p = 1. Returns {statistic, p-value}.
     */
    public double[] chiSquare() {
        double norm = currentTotal / referenceTotal;
        double stat = 0;
        for (int i = 0; i < keys.size(); i++) {
            double expected = reference[i] * norm;
            double d = current[i] - expected;
            stat += d * d / expected;
        }
        if (keys.size() < 2) {
            return new double[] {0, 1};
        }
        double p = Double.isInfinite(stat) ? 0 : ChiSquaredDistribution.of(keys.size() - 1.0).survivalProbability(stat);
        return new double[] {stat, p};
    }

    /**
     * Evidently's {@code z} stattest for a binary column: two-proportion z statistic of the first category,
     * p = 2 (1 - Phi(|z|)); p = 1 when both samples hold one and the same value. Returns {z, p-value}.
     *
     * @throws IllegalStateException with more than two categories
     */
    public double[] zTest() {
        if (keys.size() > 2) {
            throw new IllegalStateException("Z-test can be applied only to binary data");
        }
        if (keys.size() == 1) {
            return new double[] {0, 1};
        }
        double p1 = reference[0] / referenceTotal;
        double p2 = current[0] / currentTotal;
        double pooled = (p1 * referenceTotal + p2 * currentTotal) / (referenceTotal + currentTotal);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal));
        return new double[] {z, 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z)))};
    }

    public double psi() {
        return Divergences.psi(referenceProportions(), currentProportions());
    }

    public double jensenShannon() {
        return Divergences.jensenShannon(Divergences.fillZeroes(referenceProportions()),
                Divergences.fillZeroes(currentProportions()));
    }

    private static double[] scale(double[] counts, double total) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] / total;
        }
        return out;
    }
}
