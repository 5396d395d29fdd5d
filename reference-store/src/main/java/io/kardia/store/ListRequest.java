package io.kardia.store;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.model.Status;

/**
 * A LIST request's paging and consistency parameters, checked as kube-apiserver checks them before
 * it reads anything: a continue token excludes a resourceVersion; resourceVersionMatch needs a
 * resourceVersion, takes "Exact" or "NotOlderThan", and "Exact" not with "0".
 *
 * @param continueFrom  the decoded continue token, or null for a first page
 * @param minRevision   the resourceVersion asked for, or null for the newest ("" and "0")
 * @param exact         read exactly at {@code minRevision} (Exact, or a paged list at N) rather than at the newest
 * @param limit         the page size; 0 for all
 */
record ListRequest(ContinueToken continueFrom, Long minRevision, boolean exact, long limit) {

    static ListRequest of(ListOptions o) {
        String rv = o.resourceVersion() == null ? "" : o.resourceVersion();
        String match = o.resourceVersionMatch() == null ? "" : o.resourceVersionMatch();
        if (o.continueToken() != null && !o.continueToken().isEmpty()) {
            if (!rv.isEmpty()) {
                throw KubeApiException.of(Status.badRequest("specifying resource version is not allowed when using continue"));
            }
            return new ListRequest(ContinueToken.decode(o.continueToken()), null, true, o.limit());
        }
        if (!match.isEmpty() && !match.equals("NotOlderThan") && !match.equals("Exact")) {
            throw KubeApiException.of(Status.badRequest("resourceVersionMatch: Unsupported value: \"" + match
                    + "\": supported values: \"Exact\", \"NotOlderThan\""));
        }
        if (rv.isEmpty()) {
            if (!match.isEmpty()) {
                throw KubeApiException.of(Status.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            return new ListRequest(null, null, false, o.limit());
        }
        if (rv.equals("0")) {
            if (match.equals("Exact")) {
                throw KubeApiException.of(Status.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\""));
            }
            return new ListRequest(null, null, false, o.limit());
        }
        long wanted = RequestChecks.parseRevision(rv);
        boolean exact = match.equals("Exact") || (match.isEmpty() && o.limit() > 0);
        return new ListRequest(null, wanted, exact, o.limit());
    }
}
