package io.kardia.store.merge;

import io.kardia.store.fieldpath.ManagedFieldsEntry;
import io.kardia.store.fieldpath.PathElement;
import java.util.List;

/** A field an apply would change that another manager owns. */
public record Conflict(ManagedFieldsEntry owner, List<PathElement> path) {
    public String field() {
        return PathElement.display(path);
    }

    /** {@code conflict with "mgr" using apps/v1}, as kube-apiserver words a cause. */
    public String describeOwner() {
        return owner.key().describe(owner.apiVersion());
    }
}
