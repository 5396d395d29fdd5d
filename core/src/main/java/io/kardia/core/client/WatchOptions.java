package io.kardia.core.client;

/**
 * Parameters of a watch.
 *
 * @param labelSelector        selector string, or null
 * @param fieldSelector        field selector string, or null
 * @param resourceVersion      start after this revision; null or "0" means "from now, starting with
 *                             synthetic ADDED events for the current state" as Kubernetes does
 * @param allowBookmarks       ask for periodic BOOKMARK events carrying the latest revision
 * @param timeoutSeconds       the server ends the watch after this long; 0 for its default
 * @param sendInitialEvents    null: the legacy meaning of {@code resourceVersion}; true: a streaming
 *                             list (WatchList): synthetic ADDED events for the state at a revision
 *                             not older than {@code resourceVersion}, then a BOOKMARK annotated
 *                             {@value #INITIAL_EVENTS_END_ANNOTATION}, then the live stream; false:
 *                             no initial events
 * @param resourceVersionMatch must be {@code NotOlderThan} when {@code sendInitialEvents} is set, else null
 */
public record WatchOptions(String labelSelector, String fieldSelector, String resourceVersion,
                           boolean allowBookmarks, long timeoutSeconds, Boolean sendInitialEvents,
                           String resourceVersionMatch) {

    /** The annotation of the bookmark that ends a streaming list's initial events. */
    public static final String INITIAL_EVENTS_END_ANNOTATION = "k8s.io/initial-events-end";
    public static final String NOT_OLDER_THAN = "NotOlderThan";

    public WatchOptions(String labelSelector, String fieldSelector, String resourceVersion, boolean allowBookmarks,
                        long timeoutSeconds) {
        this(labelSelector, fieldSelector, resourceVersion, allowBookmarks, timeoutSeconds, null, null);
    }

    public static WatchOptions from(String resourceVersion) {
        return new WatchOptions(null, null, resourceVersion, true, 0);
    }

    /**
     * A streaming list (WatchList): the state at a revision not older than {@code resourceVersion}
     * (null or empty: the latest) as ADDED events, the end bookmark, then changes; bookmarks on.
     */
    public static WatchOptions streamingList(String resourceVersion) {
        return new WatchOptions(null, null, resourceVersion, true, 0, Boolean.TRUE, NOT_OLDER_THAN);
    }

    /** True when this asks for a streaming list's initial events. */
    public boolean isStreamingList() {
        return Boolean.TRUE.equals(sendInitialEvents);
    }

    public WatchOptions withLabelSelector(String selector) {
        return new WatchOptions(selector, fieldSelector, resourceVersion, allowBookmarks, timeoutSeconds,
                sendInitialEvents, resourceVersionMatch);
    }

    public WatchOptions withFieldSelector(String selector) {
        return new WatchOptions(labelSelector, selector, resourceVersion, allowBookmarks, timeoutSeconds,
                sendInitialEvents, resourceVersionMatch);
    }

    public WatchOptions withTimeoutSeconds(long seconds) {
        return new WatchOptions(labelSelector, fieldSelector, resourceVersion, allowBookmarks, seconds,
                sendInitialEvents, resourceVersionMatch);
    }

    public WatchOptions withBookmarks(boolean allow) {
        return new WatchOptions(labelSelector, fieldSelector, resourceVersion, allow, timeoutSeconds,
                sendInitialEvents, resourceVersionMatch);
    }

    public WatchOptions withSendInitialEvents(Boolean send, String match) {
        return new WatchOptions(labelSelector, fieldSelector, resourceVersion, allowBookmarks, timeoutSeconds, send,
                match);
    }
}
