/** Fixtures of the registry tests: the engines in process and a real Tribuo-trained model. */
package io.capstan.registry.testutils;
