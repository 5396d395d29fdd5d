package io.kardia.controllers.daemon;

import io.kardia.core.model.GenericObject;
import io.kardia.core.model.IntOrString;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.PodTemplateSpec;

/**
 * The fields of an apps/v1 DaemonSet's spec the controller acts on, with kube-apiserver's defaults
 * where a field is absent (RollingUpdate, maxUnavailable 1, maxSurge 0, history limit 10).
 */
record DaemonSetSpec(
        LabelSelector selector,
        PodTemplateSpec template,
        UpdateStrategy updateStrategy,
        Integer minReadySeconds,
        Integer revisionHistoryLimit) {

    static final String ON_DELETE = "OnDelete";

    record UpdateStrategy(String type, RollingUpdate rollingUpdate) {
    }

    record RollingUpdate(IntOrString maxUnavailable, IntOrString maxSurge) {
    }

    static DaemonSetSpec of(GenericObject ds) {
        return ds.at("spec", DaemonSetSpec.class).orElseThrow(() -> new IllegalArgumentException("spec is required"));
    }

    boolean onDelete() {
        return updateStrategy != null && ON_DELETE.equals(updateStrategy.type());
    }

    int minReady() {
        return minReadySeconds == null ? 0 : minReadySeconds;
    }

    int historyLimit() {
        return revisionHistoryLimit == null ? 10 : revisionHistoryLimit;
    }

    /** maxSurge against {@code desired} nodes, rounded up ({@code updatedDesiredNodeCounts}). */
    int maxSurge(int desired) {
        IntOrString v = rollingUpdate() == null ? null : rollingUpdate().maxSurge();
        return v == null ? 0 : v.scaledValue(desired, true);
    }

    /** maxUnavailable against {@code desired} nodes, rounded up; 1 when both it and maxSurge come to 0. */
    int maxUnavailable(int desired) {
        IntOrString v = rollingUpdate() == null ? null : rollingUpdate().maxUnavailable();
        int n = v == null ? 1 : v.scaledValue(desired, true);
        return n == 0 && maxSurge(desired) == 0 ? 1 : n;
    }

    private RollingUpdate rollingUpdate() {
        return updateStrategy == null ? null : updateStrategy.rollingUpdate();
    }
}
