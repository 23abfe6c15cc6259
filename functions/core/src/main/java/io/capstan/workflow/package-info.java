/** What starts and follows a state machine's executions, whichever runs them. */
package io.capstan.workflow;
