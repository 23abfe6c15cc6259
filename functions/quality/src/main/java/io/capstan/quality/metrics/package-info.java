/**
 * Model quality from ground truth: {@link io.capstan.quality.metrics.ClassificationMetrics} turns labelled
 * predictions into accuracy, per-class precision, recall and F1, the confusion matrix, log loss, Brier score and
 * a reliability curve; {@link io.capstan.quality.metrics.RegressionMetrics} turns actual and predicted values into
 * MAE, RMSE, R² and the distribution of residuals. Every figure is defined as scikit-learn 1.2 and NumPy define
 * it and matches them to 1e-9 (the golden fixtures come from {@code scripts/quality/make_fixtures.py}).
 */
package io.capstan.quality.metrics;
