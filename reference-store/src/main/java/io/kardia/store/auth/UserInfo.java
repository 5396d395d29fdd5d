package io.kardia.store.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who made a request, as kube-apiserver's authenticators report it: a user name, an optional uid,
 * the groups the user is in and extra attributes (e.g. a ServiceAccount token's credential id).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    /** The group that every authenticated request is in. */
    public static final String AUTHENTICATED = "system:authenticated";
    /** Members of this group are allowed everything, whatever RBAC says (kube's privileged group). */
    public static final String SYSTEM_MASTERS = "system:masters";
    public static final String SERVICE_ACCOUNTS = "system:serviceaccounts";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public static UserInfo of(String name, String uid, List<String> groups) {
        return new UserInfo(name, uid, groups, Map.of());
    }

    /** This user with {@code system:authenticated} added, as every authenticator's result gets it. */
    public UserInfo authenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return this;
        }
        List<String> g = new ArrayList<>(groups);
        g.add(AUTHENTICATED);
        return new UserInfo(name, uid, g, extra);
    }

    /** {@code system:serviceaccount:<namespace>:<name>}. */
    public static String serviceAccountUserName(String namespace, String name) {
        return SERVICE_ACCOUNT_PREFIX + namespace + ":" + name;
    }
}
