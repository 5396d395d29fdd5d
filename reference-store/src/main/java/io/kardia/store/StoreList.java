package io.kardia.store;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items              the objects, in key order ({@code namespace/name})
 * @param revision           the revision the page was read at (all pages of one list share it)
 * @param continueToken      token for the next page, null on the last page
 * @param remainingItemCount objects after this page, when known (lists without selectors)
 */
public record StoreList(List<StoredObject> items, long revision, String continueToken, Long remainingItemCount) {
    public StoreList {
        items = List.copyOf(items);
    }

    public String resourceVersion() {
        return Long.toString(revision);
    }
}
