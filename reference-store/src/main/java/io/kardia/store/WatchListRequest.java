package io.kardia.store;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's checks of a watch's {@code sendInitialEvents}, {@code resourceVersionMatch} and
 * {@code allowWatchBookmarks} together: every violation is one cause of a 422 Invalid
 * {@code ListOptions.meta.k8s.io}, worded as kube-apiserver words it.
 */
final class WatchListRequest {
    private WatchListRequest() {
    }

    /** @param served false plays a kube-apiserver with the WatchList feature gate off */
    static void check(WatchOptions o, boolean served) {
        List<Status.Cause> causes = new ArrayList<>();
        String match = o.resourceVersionMatch() == null ? "" : o.resourceVersionMatch();
        if (o.sendInitialEvents() != null) {
            if (!match.equals(WatchOptions.NOT_OLDER_THAN)) {
                causes.add(forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to "
                        + WatchOptions.NOT_OLDER_THAN));
            }
            if (!o.allowBookmarks()) {
                causes.add(forbidden("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"));
            }
            if (!served) {
                causes.add(forbidden("sendInitialEvents",
                        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
            }
        }
        if (!match.isEmpty()) {
            if (o.sendInitialEvents() == null) {
                causes.add(forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals(WatchOptions.NOT_OLDER_THAN)) {
                causes.add(new Status.Cause("FieldValueNotSupported", "Unsupported value: \"" + match
                        + "\": supported values: \"" + WatchOptions.NOT_OLDER_THAN + "\"", "resourceVersionMatch"));
            }
        }
        if (!causes.isEmpty()) {
            throw KubeApiException.of(Status.invalid(new Status.ResourceName("meta.k8s.io", "", ""),
                    "ListOptions.meta.k8s.io", causes));
        }
    }

    private static Status.Cause forbidden(String field, String detail) {
        return new Status.Cause("FieldValueForbidden", "Forbidden: " + detail, field);
    }
}
