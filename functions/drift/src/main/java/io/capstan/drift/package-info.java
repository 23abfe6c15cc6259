/**
 * The drift engine: compares the data a model now sees with its training data, column by column, and says
 * whether the dataset drifted. {@link io.capstan.drift.DriftDetector} runs in two modes: exact, on two samples
 * ({@link io.capstan.drift.Column}s, or two CSV files through the CLI), and sketch, on the merged streaming
 * sketches of a window of traffic against the reference {@link io.capstan.profile.DatasetProfile}. Tests and
 * their default choice follow Evidently; p-values follow SciPy exactly. A {@link io.capstan.drift.DriftReport}
 * has a sealed verdict per column and renders as JSON or a self-contained HTML page.
 */
package io.capstan.drift;
