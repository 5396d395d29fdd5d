package io.kardia.core.client;

import java.util.List;
import java.util.Map;

/**
 * What discovery found: every top-level resource in each group's preferred version, and the
 * group versions whose documents could not be read (an aggregated API that is down, say) with
 * the reason. Callers act on what was found and report the failures, as kube-controller-manager does.
 */
public record ServerResources(List<ApiResource> resources, Map<String, String> failedGroupVersions) {

    public ServerResources {
        resources = List.copyOf(resources);
        failedGroupVersions = Map.copyOf(failedGroupVersions);
    }
}
