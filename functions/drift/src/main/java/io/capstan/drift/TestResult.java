package io.capstan.drift;

/**
 * One test on one column.
 *
 * @param method the test
 * @param statistic KS D, normed Wasserstein, PSI, JS distance, chi-square or z
 * @param pValue the p-value of a p-value test, NaN for a distance
 * @param threshold the threshold the test is judged against
 * @param drift whether the test, on its own, flags drift
 * @param errorBound in sketch mode, how far the statistic may be from the exact one (see the module README:
 *     rigorous for KS and Wasserstein given the KLL bound, per-bin for PSI and JS); 0 in exact mode; NaN if unknown
 * @param pValueLow smallest p-value consistent with the statistic's error bound (= pValue in exact mode)
 * @param pValueHigh largest p-value consistent with the statistic's error bound (= pValue in exact mode)
 */
public record TestResult(DriftMethod method, double statistic, double pValue, double threshold, boolean drift,
        double errorBound, double pValueLow, double pValueHigh) {

    /** A test on exact samples. */
    public static TestResult exact(DriftMethod method, double statistic, double pValue, double threshold) {
        double value = method.pValueTest() ? pValue : statistic;
        return new TestResult(method, statistic, pValue, threshold, method.drifts(value, threshold), 0, pValue,
                pValue);
    }

    /** The number compared with the threshold: the p-value or the distance. */
    public double judgedValue() {
        return method.pValueTest() ? pValue : statistic;
    }
}
