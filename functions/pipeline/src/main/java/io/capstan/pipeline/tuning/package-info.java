/**
 * Hyperparameter search as plain logic: the search space ({@code tuning.space.*}), the strategies (grid, seeded
 * random, successive halving on epochs) and the choice of the winning trial. The retraining pipeline's tuning tasks
 * run the trials; nothing here touches storage or AWS.
 */
package io.capstan.pipeline.tuning;
