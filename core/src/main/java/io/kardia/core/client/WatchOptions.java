package io.kardia.core.client;

/**
 * Parameters of a watch.
 *
 * @param labelSelector   selector string, or null
 * @param fieldSelector   field selector string, or null
 * @param resourceVersion start after this revision; null or "0" means "from now, starting with
 *                        synthetic ADDED events for the current state" as Kubernetes does
 * @param allowBookmarks  ask for periodic BOOKMARK events carrying the latest revision
 * @param timeoutSeconds  the server ends the watch after this long; 0 for its default
 */
public record WatchOptions(String labelSelector, String fieldSelector, String resourceVersion,
                           boolean allowBookmarks, long timeoutSeconds) {

    public static WatchOptions from(String resourceVersion) {
        return new WatchOptions(null, null, resourceVersion, true, 0);
    }

    public WatchOptions withLabelSelector(String selector) {
        return new WatchOptions(selector, fieldSelector, resourceVersion, allowBookmarks, timeoutSeconds);
    }

    public WatchOptions withFieldSelector(String selector) {
        return new WatchOptions(labelSelector, selector, resourceVersion, allowBookmarks, timeoutSeconds);
    }

    public WatchOptions withTimeoutSeconds(long seconds) {
        return new WatchOptions(labelSelector, fieldSelector, resourceVersion, allowBookmarks, seconds);
    }

    public WatchOptions withBookmarks(boolean allow) {
        return new WatchOptions(labelSelector, fieldSelector, resourceVersion, allow, timeoutSeconds);
    }
}
