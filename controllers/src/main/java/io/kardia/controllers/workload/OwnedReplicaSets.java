package io.kardia.controllers.workload;

import io.kardia.core.model.ReplicaSet;
import java.util.ArrayList;
import java.util.List;

/** A Deployment's ReplicaSets: the new one (its template is the Deployment's; null if none yet) and the old ones. */
record OwnedReplicaSets(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    List<ReplicaSet> all() {
        List<ReplicaSet> all = new ArrayList<>(oldRSs);
        if (newRS != null) {
            all.add(newRS);
        }
        return all;
    }
}
