package io.capstan.quality.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality of a regression model over a set of labelled predictions, in the target's units. Without rows
 * every figure is NaN and the histogram is empty.
 *
 * @param rows labelled predictions measured
 * @param mae mean absolute error
 * @param rmse root mean squared error
 * @param r2 coefficient of determination; 1 for a perfect fit, 0 when the actual values are constant and the
 *     fit is not perfect (scikit-learn's {@code force_finite})
 * @param meanResidual mean of actual - predicted: positive when the model predicts too low
 * @param residualQuantiles percentiles of actual - predicted under the keys {@code p5}, {@code p25}, {@code p50},
 *     {@code p75}, {@code p95}, in that order
 * @param residualHistogram 20 equal-width bins from the smallest to the largest residual
 */
public record RegressionQuality(long rows, double mae, double rmse, double r2, double meanResidual,
        Map<String, Double> residualQuantiles, List<ResidualBin> residualHistogram) {

    public RegressionQuality {
        residualQuantiles = Collections.unmodifiableMap(new LinkedHashMap<>(residualQuantiles));
        residualHistogram = List.copyOf(residualHistogram);
    }
}
