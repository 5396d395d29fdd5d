package io.kardia.store;

/**
 * How the store answers a watch with {@code sendInitialEvents} (a streaming list). Only
 * {@link #SERVED} is Kubernetes 1.34+'s behaviour; the others let clients test their fallback
 * against the servers they will meet.
 */
public enum WatchListSupport {
    /** Streaming lists are served (kube-apiserver 1.34+, where WatchList is on by default). */
    SERVED,
    /**
     * Refused with 422 Invalid, as a kube-apiserver 1.27-1.33 with the WatchList feature gate off
     * answers.
     */
    REFUSED,
    /**
     * The parameters are ignored, as a kube-apiserver older than 1.27 does: the watch follows the
     * legacy meaning of its resourceVersion and no end bookmark is ever sent.
     */
    IGNORED
}
