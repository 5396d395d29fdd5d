package io.kardia.store.admission;

import io.kardia.store.auth.UserInfo;
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

    private AdmissionUser() {
    }

    /** Until the returned scope is closed, writes on this thread are made by {@code user}. */
    public static AdmissionWarnings.Scope as(UserInfo user) {
        UserInfo previous = CURRENT.get();
        CURRENT.set(user);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
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
