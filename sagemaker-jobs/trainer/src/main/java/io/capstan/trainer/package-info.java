/**
 * Capstan's trainer, a program on the SageMaker training container contract: {@link io.capstan.trainer.TrainerMain}
 * reads hyperparameters and CSV channels from {@link io.capstan.trainer.TrainingContract}'s paths, trains a Tribuo
 * classifier behind a z-score standardization, and writes an ONNX model that takes raw feature values, its model
 * card, metrics and Tribuo's validation probabilities. {@link io.capstan.model.TrainerMetrics} holds the metric
 * lines it prints and the SageMaker metric definitions that read them.
 */
package io.capstan.trainer;
