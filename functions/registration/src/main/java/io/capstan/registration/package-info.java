/**
 * Model registration against Capstan's artifact store, shared by the registry function (MLflow's
 * {@code model-versions/create}) and the retraining pipeline (which registers what it trained):
 * {@link io.capstan.registration.ArtifactModelRegistration} copies a version's source into the registry's own folder
 * and decides, from what it holds, whether Capstan can serve it; {@link io.capstan.registration.SourceFiles} finds a
 * trained model's files. It is a library, not a function, so no function depends on another function's module.
 */
package io.capstan.registration;
