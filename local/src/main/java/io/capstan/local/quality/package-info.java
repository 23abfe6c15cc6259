/** Model quality on the embedded platform: the quality function, its schedule and its metrics in the log. */
package io.capstan.local.quality;
