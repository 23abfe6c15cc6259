/**
 * Watching served models: drift check summaries, where they are kept, and how a drift check starts retraining.
 */
package io.capstan.monitoring;
