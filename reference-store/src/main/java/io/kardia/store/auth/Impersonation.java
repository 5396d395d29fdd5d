package io.kardia.store.auth;

import com.sun.net.httpserver.Headers;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kube-apiserver's user impersonation ({@code kubectl --as alice --as-group dev}): the
 * {@code Impersonate-User}, {@code Impersonate-Group}, {@code Impersonate-Uid} and
 * {@code Impersonate-Extra-KEY} headers make the request act as another user, if the caller may
 * {@code impersonate} each of them ({@code users}, {@code groups}, {@code serviceaccounts} in the
 * core group; {@code uids} and {@code userextras/KEY} in authentication.k8s.io). An impersonated
 * ServiceAccount gets its ServiceAccount groups; every impersonated user gets
 * {@code system:authenticated} unless a group says otherwise.
 */
public final class Impersonation {
    static final String USER = "Impersonate-User";
    static final String GROUP = "Impersonate-Group";
    static final String UID = "Impersonate-Uid";
    static final String EXTRA_PREFIX = "Impersonate-Extra-";
    private static final String UNAUTHENTICATED = "system:unauthenticated";

    private Impersonation() {
    }

    /**
     * The user the request acts as: {@code caller} when it asks for no impersonation.
     *
     * @throws KubeApiException 403 (kube's wording) when the caller may not impersonate what it asks
     *                          for, 400 when groups, uid or extras come without a user
     */
    public static UserInfo actingAs(UserInfo caller, Headers headers, Authorizer authorizer) {
        String name = headers.getFirst(USER);
        List<String> groups = headers.getOrDefault(GROUP, List.of());
        String uid = headers.getFirst(UID);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        headers.forEach((header, values) -> {
            if (header.regionMatches(true, 0, EXTRA_PREFIX, 0, EXTRA_PREFIX.length())) {
                extra.put(java.net.URLDecoder.decode(header.substring(EXTRA_PREFIX.length()), java.nio.charset.StandardCharsets.UTF_8)
                        .toLowerCase(java.util.Locale.ROOT), values);
            }
        });
        if (name == null || name.isEmpty()) {
            if (!groups.isEmpty() || uid != null || !extra.isEmpty()) {
                throw KubeApiException.of(Status.badRequest("requested impersonation of groups, uid or extra fields "
                        + "without impersonating a user (" + USER + ")"));
            }
            return caller;
        }
        List<String> actingGroups = new ArrayList<>();
        if (name.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX)) {
            String[] nsName = name.substring(UserInfo.SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
            if (nsName.length != 2 || nsName[0].isEmpty() || nsName[1].isEmpty()) {
                throw KubeApiException.of(Status.badRequest("cannot impersonate \"" + name
                        + "\": not a ServiceAccount user name (system:serviceaccount:NAMESPACE:NAME)"));
            }
            check(caller, authorizer, RequestAttributes.resource(caller, "impersonate", "", "", "serviceaccounts", "",
                    nsName[0], nsName[1]));
            actingGroups.add(UserInfo.SERVICE_ACCOUNTS);
            actingGroups.add(UserInfo.SERVICE_ACCOUNTS + ":" + nsName[0]);
        } else {
            check(caller, authorizer, RequestAttributes.resource(caller, "impersonate", "", "", "users", "", "", name));
        }
        for (String g : groups) {
            check(caller, authorizer, RequestAttributes.resource(caller, "impersonate", "", "", "groups", "", "", g));
            actingGroups.add(g);
        }
        if (uid != null) {
            check(caller, authorizer, RequestAttributes.resource(caller, "impersonate", "authentication.k8s.io", "", "uids",
                    "", "", uid));
        }
        for (Map.Entry<String, List<String>> e : extra.entrySet()) {
            for (String v : e.getValue()) {
                check(caller, authorizer, RequestAttributes.resource(caller, "impersonate", "authentication.k8s.io", "",
                        "userextras", e.getKey(), "", v));
            }
        }
        if (!name.equals("system:anonymous") && !actingGroups.contains(UserInfo.AUTHENTICATED)
                && !actingGroups.contains(UNAUTHENTICATED)) {
            actingGroups.add(UserInfo.AUTHENTICATED);
        }
        return new UserInfo(name, uid, actingGroups, extra);
    }

    private static void check(UserInfo caller, Authorizer authorizer, RequestAttributes a) {
        Authorizer.Decision d = authorizer.authorize(a);
        if (!d.allowed()) {
            throw KubeApiException.of(Forbidden.status(a, d.reason()));
        }
    }
}
