/**
 * Where a registered model version came from: the {@link io.capstan.provenance.Provenance} record built from
 * named parts (model file, run, datasets, trainer, code, runtime, metrics), stored with the version and read
 * leniently, so versions registered by older releases still load.
 */
package io.capstan.provenance;
