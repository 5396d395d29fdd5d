package io.kardia.store.admission;

import io.kardia.store.auth.Authorizer;
import io.kardia.store.auth.UserInfo;
import io.kardia.store.cel.AuthorizerLibrary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authenticated user whose write admission is handling on this thread (the store runs a
 * write's admission on the caller's thread): the HTTP layer sets it for each request, after
 * authentication and impersonation, so webhooks ({@code AdmissionReview.request.userInfo}) and
 * policies ({@code request.userInfo}) see who is writing, as in kube-apiserver. The in-process
 * client authenticates nobody: its writes carry an empty user.
 */
public final class AdmissionUser {
    private static final ThreadLocal<UserInfo> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Authorizer> AUTHORIZER = new ThreadLocal<>();

    private AdmissionUser() {
    }

    /** Until the returned scope is closed, writes on this thread are made by {@code user}. */
    public static AdmissionWarnings.Scope as(UserInfo user) {
        return as(user, null);
    }

    /**
     * Until the returned scope is closed, writes on this thread are made by {@code user}, and
     * {@code authorizer} (null: none) answers admission expressions' {@code authorizer} checks.
     */
    public static AdmissionWarnings.Scope as(UserInfo user, Authorizer authorizer) {
        UserInfo previous = CURRENT.get();
        Authorizer previousAuthorizer = AUTHORIZER.get();
        CURRENT.set(user);
        AUTHORIZER.set(authorizer);
        return () -> {
            restore(CURRENT, previous);
            restore(AUTHORIZER, previousAuthorizer);
        };
    }

    private static <T> void restore(ThreadLocal<T> local, T previous) {
        if (previous == null) {
            local.remove();
        } else {
            local.set(previous);
        }
    }

    /**
     * Puts kube's {@code authorizer} and {@code authorizer.requestResource} into an admission
     * expression's variables: checks run as the writing user against the server's authorizer. A
     * write with no authorizer (the in-process client, which nothing authorizes) is answered as
     * AlwaysAllow would.
     */
    static void putAuthorizer(Map<String, Object> vars, AdmissionRequest r) {
        UserInfo user = CURRENT.get() == null ? UserInfo.of("", "", List.of()) : CURRENT.get();
        Authorizer authorizer = AUTHORIZER.get() == null ? Authorizer.ALWAYS_ALLOW : AUTHORIZER.get();
        AuthorizerLibrary.AuthorizerValue value = new AuthorizerLibrary.AuthorizerValue(user, authorizer);
        vars.put(AuthorizerLibrary.VARIABLE, value);
        vars.put(AuthorizerLibrary.REQUEST_RESOURCE, AuthorizerLibrary.requestResource(value, r.type().group(), r.type().plural(),
                r.subresource(), r.namespace(), r.name()));
    }

    static Optional<UserInfo> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** kube's authentication.k8s.io/v1 UserInfo as CEL sees it: username, uid, groups, extra (never absent). */
    static Map<String, Object> celValue() {
        UserInfo u = CURRENT.get();
        if (u == null) {
            return Map.of("username", "", "uid", "", "groups", List.of(), "extra", Map.of());
        }
        return Map.of("username", u.name(), "uid", u.uid(), "groups", u.groups(), "extra", u.extra());
    }
}
