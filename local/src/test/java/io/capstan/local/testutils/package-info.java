/** What the local platform's tests share: polling for what happens in the background, models trained and registered. */
package io.capstan.local.testutils;
