package io.kardia.core.client.http;

/** Request tag marking a watch: watches are long-lived and bypass the client-side rate limit. */
enum WatchRequest {
    INSTANCE
}
