/**
 * Profiles of data as the drift check needs them: a {@link io.capstan.profile.DatasetProfile} of the training data,
 * written by the trainer beside the model as {@code profile.json} and built by
 * {@link io.capstan.profile.ProfileBuilder}; and a {@link io.capstan.profile.StreamingProfile}, the mergeable
 * sketches (Apache DataSketches KLL quantiles and frequent items) the predict function folds every request into
 * and flushes to S3. Both turn into the same {@code DatasetProfile} shape, so the drift engine compares like
 * with like.
 */
package io.capstan.profile;
