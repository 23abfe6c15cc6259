/**
 * The HTTP model every Capstan function is written against ({@link io.capstan.http.HttpRequest} in,
 * {@link io.capstan.http.HttpResponse} out) and the single {@link io.capstan.http.RouteTable} read by the CDK
 * API stack, the local gateway and the functions themselves.
 */
package io.capstan.http;
