package io.kardia.controllers.workload;

import static io.kardia.controllers.workload.DeploymentController.nz;

import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.selector.Selector;
import io.kardia.runtime.event.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one sync of one Deployment works on: the Deployment as last written by this sync, the
 * ReplicaSets it controls (each replaced by what this sync wrote to it), their pods as the cache
 * saw them, and the clients it writes through.
 */
final class SyncState {
    /** The Deployment, replaced after each write of this sync. */
    Deployment d;
    final Selector selector;
    final List<ReplicaSet> rsList;
    final Map<String, List<Pod>> podsByRs = new HashMap<>();
    final Instant now;
    final ResourceClient<Deployment> deployApi;
    final ResourceClient<ReplicaSet> rsApi;
    /** Reads the pods from the API, not the cache: to count them again before the rollout grows. */
    final ResourceClient<Pod> podApi;
    final EventRecorder events;
    final Clock clock;

    SyncState(Deployment d, Selector selector, List<ReplicaSet> owned, List<Pod> podsInNamespace,
              ResourceClient<Deployment> deployApi, ResourceClient<ReplicaSet> rsApi, ResourceClient<Pod> podApi,
              EventRecorder events, Clock clock) {
        this.d = d;
        this.selector = selector;
        this.rsList = new ArrayList<>(owned);
        this.deployApi = deployApi;
        this.rsApi = rsApi;
        this.podApi = podApi;
        this.events = events;
        this.clock = clock;
        this.now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Set<String> uids = new HashSet<>();
        rsList.forEach(rs -> uids.add(rs.metadata().uid()));
        for (Pod p : podsInNamespace) {
            p.metadata().controllerRef().filter(r -> uids.contains(r.uid()))
                    .ifPresent(r -> podsByRs.computeIfAbsent(r.uid(), k -> new ArrayList<>()).add(p));
        }
    }

    ReplicaSet replace(ReplicaSet updated) {
        for (int i = 0; i < rsList.size(); i++) {
            if (rsList.get(i).metadata().uid().equals(updated.metadata().uid())) {
                rsList.set(i, updated);
                return updated;
            }
        }
        rsList.add(updated);
        return updated;
    }

    /** A live list of what this Deployment's selector matches (its cache may lag the store). */
    private ListOptions ownedSelection() {
        return ListOptions.all().withLabelSelector(selector.toString());
    }

    /** Replaces each owned ReplicaSet by what the API holds now (one live list); one gone meanwhile stays as it was. */
    void refreshReplicaSets() {
        Map<String, ReplicaSet> live = new HashMap<>();
        for (ReplicaSet rs : rsApi.list(d.metadata().namespace(),
                ownedSelection()).items()) {
            live.put(rs.metadata().uid(), rs);
        }
        for (int i = 0; i < rsList.size(); i++) {
            ReplicaSet fresh = live.get(rsList.get(i).metadata().uid());
            if (fresh != null) {
                rsList.set(i, fresh);
            }
        }
    }

    ReplicaSet latest(ReplicaSet rs) {
        for (ReplicaSet r : rsList) {
            if (r.metadata().uid().equals(rs.metadata().uid())) {
                return r;
            }
        }
        return rs;
    }

    List<ReplicaSet> current(List<ReplicaSet> rss) {
        List<ReplicaSet> out = new ArrayList<>(rss.size());
        for (ReplicaSet rs : rss) {
            out.add(latest(rs));
        }
        return out;
    }

    /** Pods counted towards the surge: per ReplicaSet the larger of its size and the pods of it that still exist. */
    int surgeCount(List<ReplicaSet> rss) {
        return surgeCount(rss, podsByRs);
    }

    /**
     * Whether the ReplicaSet controller has observed the latest size of each of {@code rss}
     * ({@code status.observedGeneration} at least {@code metadata.generation}; a size change bumps
     * the generation).
     */
    boolean sizesObserved(List<ReplicaSet> rss) {
        for (ReplicaSet rs : current(rss)) {
            Long observed = rs.status() == null ? null : rs.status().observedGeneration();
            Long generation = rs.metadata().generation();
            if (generation != null && (observed == null || observed < generation)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #surgeCount} with the pods listed from the API now. The cache may lag the store (a
     * watch that relists after a restart, slow events): pods an old ReplicaSet created for a size
     * lowered meanwhile would go uncounted, and growing the new one on that count makes more pods
     * than {@code replicas + maxSurge}. Asked only before the new ReplicaSet grows.
     */
    int liveSurgeCount(List<ReplicaSet> rss) {
        Set<String> uids = new HashSet<>();
        current(rss).forEach(rs -> uids.add(rs.metadata().uid()));
        Map<String, List<Pod>> live = new HashMap<>();
        for (Pod p : podApi.list(d.metadata().namespace(),
                ownedSelection()).items()) {
            p.metadata().controllerRef().filter(r -> uids.contains(r.uid()))
                    .ifPresent(r -> live.computeIfAbsent(r.uid(), k -> new ArrayList<>()).add(p));
        }
        return surgeCount(rss, live);
    }

    private int surgeCount(List<ReplicaSet> rss, Map<String, List<Pod>> pods) {
        int total = 0;
        for (ReplicaSet rs : current(rss)) {
            int existing = 0;
            for (Pod p : pods.getOrDefault(rs.metadata().uid(), List.of())) {
                if (!"Failed".equals(p.phase()) && !"Succeeded".equals(p.phase())) {
                    existing++;
                }
            }
            total += Math.max(rs.spec().desiredReplicas(), existing);
        }
        return total;
    }

    /** Available pods a ReplicaSet is sure to keep: the least of its size, its status and the available pods seen now. */
    int availableCount(ReplicaSet rs) {
        rs = latest(rs);
        int minReady = nz(rs.spec().minReadySeconds());
        int seen = 0;
        for (Pod p : podsByRs.getOrDefault(rs.metadata().uid(), List.of())) {
            if (Pods.isActive(p) && Pods.isAvailable(p, minReady, clock.instant())) {
                seen++;
            }
        }
        int reported = rs.status() == null ? 0 : nz(rs.status().availableReplicas());
        return Math.min(rs.spec().desiredReplicas(), Math.min(reported, seen));
    }
}
