/** Drift checks on the embedded platform: the drift API, the schedule as a timer, reports as files. */
package io.capstan.local.drift;
