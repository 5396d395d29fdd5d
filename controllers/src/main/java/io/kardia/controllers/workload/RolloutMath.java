package io.kardia.controllers.workload;

import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.IntOrString;
import io.kardia.core.model.RollingUpdateDeployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout arithmetic of Kubernetes' {@code deployment/util}, as pure functions: fenceposts
 * (maxSurge rounds up, maxUnavailable down, both zero means one unavailable), the new ReplicaSet's
 * next size, and proportional scaling of all active ReplicaSets when the Deployment is resized
 * mid-rollout.
 */
public final class RolloutMath {
    public static final IntOrString DEFAULT_MAX_SURGE = IntOrString.of("25%");
    public static final IntOrString DEFAULT_MAX_UNAVAILABLE = IntOrString.of("25%");

    private RolloutMath() {
    }

    /** Resolved maxSurge and maxUnavailable for a number of desired replicas. */
    public record Fenceposts(int maxSurge, int maxUnavailable) {
    }

    /** {@code ResolveFenceposts}. */
    public static Fenceposts resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
        int surge = (maxSurge == null ? DEFAULT_MAX_SURGE : maxSurge).scaledValue(desired, true);
        int unavailable = (maxUnavailable == null ? DEFAULT_MAX_UNAVAILABLE : maxUnavailable).scaledValue(desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1; // both zero would never make progress; the API refuses it, this guards defaults
        }
        return new Fenceposts(surge, unavailable);
    }

    public static boolean isRollingUpdate(Deployment d) {
        DeploymentStrategy s = d.spec().strategy();
        return s == null || s.type() == null || DeploymentStrategy.ROLLING_UPDATE.equals(s.type());
    }

    private static Fenceposts fenceposts(Deployment d) {
        RollingUpdateDeployment ru = d.spec().strategy() == null ? null : d.spec().strategy().rollingUpdate();
        return resolveFenceposts(ru == null ? null : ru.maxSurge(), ru == null ? null : ru.maxUnavailable(),
                d.spec().desiredReplicas());
    }

    /** {@code MaxSurge}: 0 unless RollingUpdate. */
    public static int maxSurge(Deployment d) {
        return isRollingUpdate(d) ? fenceposts(d).maxSurge() : 0;
    }

    /** {@code MaxUnavailable}: 0 unless RollingUpdate or with 0 replicas; never above replicas. */
    public static int maxUnavailable(Deployment d) {
        int desired = d.spec().desiredReplicas();
        if (!isRollingUpdate(d) || desired == 0) {
            return 0;
        }
        return Math.min(fenceposts(d).maxUnavailable(), desired);
    }

    /** {@code NewRSNewReplicas} for RollingUpdate: grow the new ReplicaSet up to {@code desired + maxSurge} pods in all. */
    public static int newReplicaSetReplicas(int desired, int maxSurge, int currentPodCount, int newRsReplicas) {
        int maxTotal = desired + maxSurge;
        if (currentPodCount >= maxTotal) {
            return newRsReplicas;
        }
        int scaleUp = Math.min(maxTotal - currentPodCount, desired - newRsReplicas);
        return newRsReplicas + scaleUp;
    }

    /** {@code reconcileOldReplicaSets}' bound: how many old pods may go now. */
    public static int maxScaledDown(int allPods, int desired, int maxUnavailable, int newRsUnavailable) {
        return allPods - (desired - maxUnavailable) - newRsUnavailable;
    }

    /** A ReplicaSet as proportional scaling sees it. */
    public record Sized(String name, Instant created, int replicas, Integer maxReplicasAnnotation) {
    }

    /**
     * Kubernetes' proportional scaling ({@code DeploymentController.scale} for a rolling update with
     * several active ReplicaSets): spread the difference between {@code desired + maxSurge} and the
     * current total over the active ReplicaSets in proportion to their size (relative to the
     * {@code max-replicas} annotation, i.e. the Deployment's size before), largest first; leftovers
     * go to the first.
     *
     * @param active          ReplicaSets with replicas > 0
     * @param statusReplicas  the Deployment's {@code status.replicas}, the fallback for a missing annotation
     * @return the new size per ReplicaSet name, in processing order
     */
    public static Map<String, Integer> proportionalSizes(List<Sized> active, int desired, int maxSurge,
                                                         int statusReplicas) {
        int total = active.stream().mapToInt(Sized::replicas).sum();
        int allowed = desired > 0 ? desired + maxSurge : 0;
        int toAdd = allowed - total;
        List<Sized> sorted = new ArrayList<>(active);
        Comparator<Sized> byAge = Comparator.comparing(Sized::created, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Sized::name);
        if (toAdd > 0) {
            sorted.sort(Comparator.comparingInt(Sized::replicas).reversed().thenComparing(byAge.reversed()));
        } else if (toAdd < 0) {
            sorted.sort(Comparator.comparingInt(Sized::replicas).reversed().thenComparing(byAge));
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int added = 0;
        for (Sized rs : sorted) {
            if (toAdd != 0) {
                int proportion = proportion(rs, desired, maxSurge, statusReplicas, toAdd, added);
                sizes.put(rs.name(), rs.replicas() + proportion);
                added += proportion;
            } else {
                sizes.put(rs.name(), rs.replicas());
            }
        }
        if (!sorted.isEmpty() && toAdd != 0) {
            String first = sorted.get(0).name();
            sizes.put(first, Math.max(0, sizes.get(first) + toAdd - added));
        }
        return sizes;
    }

    /** {@code GetReplicaSetProportion}. */
    static int proportion(Sized rs, int desired, int maxSurge, int statusReplicas, int toAdd, int added) {
        if (rs.replicas() == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = fraction(rs, desired, maxSurge, statusReplicas);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** {@code getReplicaSetFraction}. */
    static int fraction(Sized rs, int desired, int maxSurge, int statusReplicas) {
        if (desired == 0) {
            return -rs.replicas();
        }
        int maxNow = desired + maxSurge;
        Integer before = rs.maxReplicasAnnotation();
        int maxBefore = before == null || before == 0 ? statusReplicas : before;
        if (maxBefore == 0) {
            return 0;
        }
        double newSize = (double) rs.replicas() * maxNow / maxBefore;
        return (int) roundHalfAwayFromZero(newSize) - rs.replicas();
    }

    private static long roundHalfAwayFromZero(double v) {
        return v < 0 ? -Math.round(-v) : Math.round(v);
    }
}
