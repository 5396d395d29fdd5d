package io.kardia.core.client;

/**
 * Parameters of a list call, as the {@code ?labelSelector=...&limit=...} query of kube-apiserver.
 *
 * @param labelSelector        selector string ({@code a=b,c in (x,y)}), or null
 * @param fieldSelector        field selector string ({@code spec.nodeName=n1}), or null
 * @param limit                page size; 0 for everything at once
 * @param continueToken        token from the previous page
 * @param resourceVersion      read at/after this revision (see {@code resourceVersionMatch})
 * @param resourceVersionMatch {@code NotOlderThan} or {@code Exact}, or null
 */
public record ListOptions(String labelSelector, String fieldSelector, long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch) {

    public static ListOptions all() {
        return new ListOptions(null, null, 0, null, null, null);
    }

    public ListOptions withLabelSelector(String selector) {
        return new ListOptions(selector, fieldSelector, limit, continueToken, resourceVersion, resourceVersionMatch);
    }

    public ListOptions withFieldSelector(String selector) {
        return new ListOptions(labelSelector, selector, limit, continueToken, resourceVersion, resourceVersionMatch);
    }

    public ListOptions withLimit(long newLimit) {
        return new ListOptions(labelSelector, fieldSelector, newLimit, continueToken, resourceVersion, resourceVersionMatch);
    }

    public ListOptions withContinue(String token) {
        return new ListOptions(labelSelector, fieldSelector, limit, token, resourceVersion, resourceVersionMatch);
    }

    public ListOptions withResourceVersion(String rv, String match) {
        return new ListOptions(labelSelector, fieldSelector, limit, continueToken, rv, match);
    }
}
