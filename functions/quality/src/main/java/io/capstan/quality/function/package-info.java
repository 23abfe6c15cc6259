/** The quality API as a plain {@code Function<HttpRequest, HttpResponse>}: feedback, checks, reports. */
package io.capstan.quality.function;
