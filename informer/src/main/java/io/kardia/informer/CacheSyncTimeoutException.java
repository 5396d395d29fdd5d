package io.kardia.informer;

/** An informer's cache did not sync in time; the message names the kinds and scopes that had not. */
public class CacheSyncTimeoutException extends RuntimeException {
    public CacheSyncTimeoutException(String message) {
        super(message);
    }
}
