/**
 * Traffic capture for drift checks: every scored request's feature rows, and the model's class probabilities, folded
 * into a mergeable {@link io.capstan.profile.StreamingProfile} per model version and flushed to the capture bucket at
 * bounded intervals as {@code capture/<model>/<version>/<UTC yyyy/MM/dd/HH>/<epoch ms>-<container>.sketch}. No raw
 * request is stored. {@link io.capstan.predict.capture.SketchCapture} does it; {@link
 * io.capstan.predict.capture.TrafficCapture#off()} does nothing.
 */
package io.capstan.predict.capture;
