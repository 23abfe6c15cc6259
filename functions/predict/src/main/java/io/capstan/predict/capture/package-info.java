/**
 * Traffic capture for drift checks: every scored request of a tabular model (one with a card) — its feature rows and,
 * for a classifier, its class probabilities — folded into a mergeable {@link io.capstan.profile.StreamingProfile} per
 * model version and flushed to the capture bucket at bounded intervals as
 * {@code capture/<model>/<version>/<UTC yyyy/MM/dd/HH>/<epoch ms>-<container>.sketch}. A regressor's rows are captured
 * as features only; models served as named tensors are not captured. No raw request is stored.
 * {@link io.capstan.predict.capture.SketchCapture} does it; {@link io.capstan.predict.capture.TrafficCapture#off()}
 * does nothing.
 */
package io.capstan.predict.capture;
