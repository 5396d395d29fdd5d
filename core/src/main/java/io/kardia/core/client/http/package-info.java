/**
 * The HTTP transport of {@link io.kardia.core.client.KubeClient}: kube-apiserver's REST dialect
 * over OkHttp ({@link io.kardia.core.client.http.HttpKubeClient}), with streaming watches,
 * client-side rate limiting, 429 Retry-After handling, TLS/mTLS and refreshable credentials.
 */
package io.kardia.core.client.http;
