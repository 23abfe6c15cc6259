/** Capstan's web console: its pages and the function that serves them. */
package io.capstan.console;
