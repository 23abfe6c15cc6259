/**
 * Model quality from ground truth. A {@link io.capstan.quality.QualityReport} records one check of a registered
 * model over a window of predictions: per version ({@link io.capstan.quality.VersionQuality}) the label coverage,
 * how long labels took to arrive ({@link io.capstan.quality.FeedbackDelay}) and the classification or regression
 * metrics of {@link io.capstan.quality.metrics}; the champion-challenger comparison of
 * {@link io.capstan.quality.abtest}; the feedback that could not be used; and what the check did next.
 * {@link io.capstan.quality.report} renders it as JSON and HTML.
 */
package io.capstan.quality;
