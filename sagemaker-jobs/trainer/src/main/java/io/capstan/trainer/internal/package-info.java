/**
 * How the trainer works, not for callers: hyperparameter table and parsing, CSV channels, the validation split,
 * standardization, Tribuo trainers, the per-epoch history, metrics, the ONNX export (with the two-class LibSVM
 * graph) and Batch mode's S3 staging. {@link io.capstan.trainer.internal.TrainingJob} runs one job end to end.
 */
package io.capstan.trainer.internal;
