/** The capture bucket as the quality function reads and writes it. */
package io.capstan.quality.storage;
