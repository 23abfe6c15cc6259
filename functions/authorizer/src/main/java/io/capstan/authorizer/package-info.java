/**
 * Bearer-token authorization for Capstan's HTTP API, as plain Java: parse the {@code Authorization} header,
 * hash the presented token with SHA-256 and compare it, in constant time, with the digests an administrator
 * stored. Raw tokens are never stored and never logged; only their digests and names are.
 */
package io.capstan.authorizer;
