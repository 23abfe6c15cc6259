/** Ground truth sent for prediction ids: reading and checking one feedback call. */
package io.capstan.quality.feedback;
