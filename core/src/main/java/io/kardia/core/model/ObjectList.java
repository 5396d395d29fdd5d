package io.kardia.core.model;

import java.util.List;

/**
 * One page of a list: the items, the revision they were read at, and the token for the next page
 * ({@code null} when this is the last page).
 */
public record ObjectList<T extends KubeObject>(List<T> items, String resourceVersion, String continueToken,
                                               Long remainingItemCount) {
    public ObjectList {
        items = Frozen.list(items);
    }

    public boolean hasMore() {
        return continueToken != null && !continueToken.isEmpty();
    }
}
