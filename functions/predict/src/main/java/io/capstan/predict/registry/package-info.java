/**
 * Which registered version serves a request, read from the model registry: champion, alias, pinned version or the
 * traffic policy's canary split, cached briefly so that promotions reach warm containers within seconds.
 */
package io.capstan.predict.registry;
