package io.kardia.controllers.statefulset;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.IntOrString;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.PodTemplateSpec;
import java.util.List;
import java.util.Map;

/**
 * The fields of an apps/v1 StatefulSet's spec the controller acts on, read from the generic object
 * with kube-apiserver's defaults applied where a field is absent (replicas 1, OrderedReady,
 * RollingUpdate, history limit 10, Retain/Retain, start ordinal 0).
 */
record StatefulSetSpec(
        Integer replicas,
        LabelSelector selector,
        PodTemplateSpec template,
        List<Map<String, Object>> volumeClaimTemplates,
        String serviceName,
        String podManagementPolicy,
        UpdateStrategy updateStrategy,
        Integer revisionHistoryLimit,
        Integer minReadySeconds,
        RetentionPolicy persistentVolumeClaimRetentionPolicy,
        Ordinals ordinals) {

    static final String PARALLEL = "Parallel";
    static final String ON_DELETE = "OnDelete";
    static final String DELETE = "Delete";

    record UpdateStrategy(String type, RollingUpdate rollingUpdate) {
    }

    record RollingUpdate(Integer partition, IntOrString maxUnavailable) {
    }

    record RetentionPolicy(String whenDeleted, String whenScaled) {
    }

    record Ordinals(Integer start) {
    }

    static StatefulSetSpec of(GenericObject set) {
        return set.at("spec", StatefulSetSpec.class).orElseThrow(
                () -> new IllegalArgumentException("spec is required"));
    }

    int desiredReplicas() {
        return replicas == null ? 1 : replicas;
    }

    int startOrdinal() {
        return ordinals == null || ordinals.start() == null ? 0 : ordinals.start();
    }

    boolean parallel() {
        return PARALLEL.equals(podManagementPolicy);
    }

    boolean onDelete() {
        return updateStrategy != null && ON_DELETE.equals(updateStrategy.type());
    }

    /** Whether {@code rollingUpdate} is set at all: without it kube keeps the first currentReplicas pods at the current revision. */
    boolean hasRollingUpdate() {
        return !onDelete() && updateStrategy != null && updateStrategy.rollingUpdate() != null;
    }

    int partition() {
        return hasRollingUpdate() && updateStrategy.rollingUpdate().partition() != null
                ? updateStrategy.rollingUpdate().partition() : 0;
    }

    /** maxUnavailable of the rolling update against {@code replicas}: rounded up, at least 1 (default 1). */
    int maxUnavailable(int replicas) {
        IntOrString v = hasRollingUpdate() ? updateStrategy.rollingUpdate().maxUnavailable() : null;
        int n = v == null ? 1 : v.scaledValue(replicas, true);
        return Math.max(1, n);
    }

    int historyLimit() {
        return revisionHistoryLimit == null ? 10 : revisionHistoryLimit;
    }

    int minReady() {
        return minReadySeconds == null ? 0 : minReadySeconds;
    }

    boolean deleteClaimsWithSet() {
        return persistentVolumeClaimRetentionPolicy != null
                && DELETE.equals(persistentVolumeClaimRetentionPolicy.whenDeleted());
    }

    boolean deleteClaimsOnScaleDown() {
        return persistentVolumeClaimRetentionPolicy != null
                && DELETE.equals(persistentVolumeClaimRetentionPolicy.whenScaled());
    }

    List<Map<String, Object>> claimTemplates() {
        return volumeClaimTemplates == null ? List.of() : volumeClaimTemplates;
    }
}
