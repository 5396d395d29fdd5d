package io.kardia.kubeapi;

import java.util.List;

/**
 * How Kubernetes merges one field, from the release's {@code +listType}, {@code +listMapKey},
 * {@code +mapType}/{@code +structType}, {@code +patchStrategy} and {@code +patchMergeKey} markers
 * (kube-apiserver publishes them as {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys},
 * {@code x-kubernetes-map-type}, {@code x-kubernetes-patch-strategy} and
 * {@code x-kubernetes-patch-merge-key}). Each is null (or empty) where the field has no such marker.
 *
 * @param listType      {@code atomic}, {@code set} or {@code map}
 * @param listMapKeys   the key fields of a {@code map} list
 * @param mapType       {@code atomic} or {@code granular}, for a map or struct field
 * @param patchStrategy strategic merge patch's strategy, e.g. {@code merge} or {@code merge,retainKeys}
 * @param patchMergeKey strategic merge patch's key of a list of objects
 */
public record MergeMarkers(String listType, List<String> listMapKeys, String mapType, String patchStrategy,
                           String patchMergeKey) {
    public static final MergeMarkers NONE = new MergeMarkers(null, List.of(), null, null, null);

    public MergeMarkers {
        listMapKeys = List.copyOf(listMapKeys);
    }

    /** Whether strategic merge patch merges the list (its strategy includes {@code merge}) rather than replacing it. */
    public boolean patchMerges() {
        return patchStrategy != null && List.of(patchStrategy.split(",")).contains("merge");
    }
}
