package io.kardia.store.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answers of the create-only review APIs, as kube-apiserver gives them: SelfSubjectReview
 * ({@code kubectl auth whoami}), SelfSubjectAccessReview and SelfSubjectRulesReview
 * ({@code kubectl auth can-i [--list]}), SubjectAccessReview, LocalSubjectAccessReview,
 * TokenReview, and the TokenRequest subresource of ServiceAccounts. Each takes the request body and
 * returns the object to answer with (the request echoed, with its status filled in).
 */
public final class ReviewApis {
    public static final String AUTHENTICATION = "authentication.k8s.io/v1";
    public static final String AUTHORIZATION = "authorization.k8s.io/v1";

    private final RequestAuthenticator authenticator;
    private final Authorizer authorizer;
    private final ServiceAccountTokens serviceAccounts;
    private final Clock clock;

    public ReviewApis(RequestAuthenticator authenticator, Authorizer authorizer, ServiceAccountTokens serviceAccounts, Clock clock) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.serviceAccounts = serviceAccounts;
        this.clock = clock;
    }

    public ObjectNode selfSubjectReview(UserInfo user) {
        ObjectNode out = envelope(AUTHENTICATION, "SelfSubjectReview");
        out.putObject("status").set("userInfo", userJson(user));
        return out;
    }

    public ObjectNode selfSubjectAccessReview(UserInfo user, ObjectNode body) {
        return accessReview(body, "SelfSubjectAccessReview", user, null);
    }

    public ObjectNode subjectAccessReview(ObjectNode body) {
        return accessReview(body, "SubjectAccessReview", subjectOf(body, "SubjectAccessReview"), null);
    }

    public ObjectNode localSubjectAccessReview(String namespace, ObjectNode body) {
        return accessReview(body, "LocalSubjectAccessReview", subjectOf(body, "LocalSubjectAccessReview"), namespace);
    }

    private ObjectNode accessReview(ObjectNode body, String kind, UserInfo subject, String pathNamespace) {
        JsonNode spec = body.path("spec");
        JsonNode res = spec.get("resourceAttributes");
        JsonNode nonRes = spec.get("nonResourceAttributes");
        if (res != null && nonRes != null) {
            throw invalid(kind, "spec.nonResourceAttributes", "cannot be specified in combination with resourceAttributes");
        }
        if (res == null && nonRes == null) {
            throw invalid(kind, "spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified");
        }
        RequestAttributes attrs;
        if (res != null) {
            String namespace = res.path("namespace").asText("");
            if (pathNamespace != null && !namespace.equals(pathNamespace)) {
                throw invalid(kind, "spec.resourceAttributes.namespace", "must match metadata.namespace (" + pathNamespace + ")");
            }
            attrs = RequestAttributes.resource(subject, res.path("verb").asText(""), res.path("group").asText(""),
                    res.path("version").asText(""), res.path("resource").asText(""), res.path("subresource").asText(""),
                    namespace, res.path("name").asText(""));
        } else {
            attrs = RequestAttributes.nonResource(subject, nonRes.path("verb").asText(""), nonRes.path("path").asText(""));
        }
        Authorizer.Decision d = authorizer.authorize(attrs);
        ObjectNode out = echo(body, AUTHORIZATION, kind);
        if (pathNamespace != null) {
            ((ObjectNode) out.get("metadata")).put("namespace", pathNamespace);
        }
        ObjectNode status = out.putObject("status");
        status.put("allowed", d.allowed());
        if (!d.reason().isEmpty()) {
            status.put("reason", d.reason());
        }
        return out;
    }

    public ObjectNode selfSubjectRulesReview(UserInfo user, ObjectNode body) {
        String namespace = body.path("spec").path("namespace").asText("");
        Authorizer.Rules rules = authorizer.rulesFor(user, namespace);
        ObjectNode out = echo(body, AUTHORIZATION, "SelfSubjectRulesReview");
        ObjectNode status = out.putObject("status");
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (PolicyRule r : rules.resourceRules()) {
            ObjectNode j = resourceRules.addObject();
            j.set("verbs", strings(r.verbs()));
            j.set("apiGroups", strings(r.apiGroups()));
            j.set("resources", strings(r.resources()));
            if (!r.resourceNames().isEmpty()) {
                j.set("resourceNames", strings(r.resourceNames()));
            }
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (PolicyRule r : rules.nonResourceRules()) {
            ObjectNode j = nonResourceRules.addObject();
            j.set("verbs", strings(r.verbs()));
            j.set("nonResourceURLs", strings(r.nonResourceURLs()));
        }
        status.put("incomplete", rules.incomplete());
        if (!rules.evaluationError().isEmpty()) {
            status.put("evaluationError", rules.evaluationError());
        }
        return out;
    }

    /**
     * Static tokens (admin, token file) are audience-agnostic: they authenticate for the API
     * server's own audiences only. ServiceAccount tokens are checked against the requested ones.
     */
    public ObjectNode tokenReview(ObjectNode body) {
        JsonNode spec = body.path("spec");
        String token = spec.path("token").asText("");
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        ObjectNode out = echo(body, AUTHENTICATION, "TokenReview");
        ((ObjectNode) out.get("spec")).remove("token"); // never echo a credential back
        ObjectNode status = out.putObject("status");
        if (token.isEmpty()) {
            throw invalid("TokenReview", "spec.token", "Required value");
        }
        ServiceAccountTokens.Review sa = serviceAccounts.review(token, audiences);
        UserInfo user = sa.user();
        List<String> matched = sa.audiences();
        String error = sa.error();
        if (user == null) {
            List<String> apiAudiences = serviceAccounts.apiAudiences();
            List<String> wanted = new ArrayList<>(audiences.isEmpty() ? apiAudiences : audiences);
            wanted.retainAll(apiAudiences);
            Optional<UserInfo> staticUser = wanted.isEmpty() ? Optional.empty() : authenticator.authenticateToken(token);
            if (staticUser.isPresent()) {
                user = staticUser.get();
                matched = wanted;
                error = null;
            }
        } else {
            user = user.authenticated();
        }
        status.put("authenticated", user != null);
        if (user != null) {
            status.set("user", userJson(user));
            status.set("audiences", strings(matched));
        } else {
            status.put("error", "[invalid bearer token, " + (error == null ? "token lookup failed" : error) + "]");
        }
        return out;
    }

    /** The TokenRequest subresource of ServiceAccount {@code namespace/name}. */
    public ObjectNode tokenRequest(String namespace, String name, ObjectNode body) {
        JsonNode spec = body.path("spec");
        List<String> audiences = new ArrayList<>();
        spec.path("audiences").forEach(a -> audiences.add(a.asText()));
        long seconds = spec.path("expirationSeconds").asLong(0);
        JsonNode ref = spec.get("boundObjectRef");
        ServiceAccountTokens.BoundObject bound = ref == null || ref.isNull() ? null
                : new ServiceAccountTokens.BoundObject(ref.path("kind").asText(""), ref.path("name").asText(""),
                        ref.path("uid").asText(""));
        ServiceAccountTokens.Issued issued = serviceAccounts.issue(namespace, name, audiences, seconds, bound);
        ObjectNode out = envelope(AUTHENTICATION, "TokenRequest");
        ObjectNode meta = (ObjectNode) out.get("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        ObjectNode outSpec = out.putObject("spec");
        outSpec.set("audiences", strings(issued.audiences()));
        outSpec.put("expirationSeconds", issued.expirationSeconds());
        if (issued.bound() != null) {
            outSpec.putObject("boundObjectRef").put("kind", issued.bound().kind()).put("apiVersion", "v1")
                    .put("name", issued.bound().name()).put("uid", issued.bound().uid());
        } else {
            outSpec.putNull("boundObjectRef");
        }
        ObjectNode status = out.putObject("status");
        status.put("token", issued.token());
        status.put("expirationTimestamp", issued.expiration().truncatedTo(ChronoUnit.SECONDS).toString());
        return out;
    }

    private static UserInfo subjectOf(ObjectNode body, String kind) {
        JsonNode spec = body.path("spec");
        String user = spec.path("user").asText("");
        List<String> groups = new ArrayList<>();
        spec.path("groups").forEach(g -> groups.add(g.asText()));
        if (user.isEmpty() && groups.isEmpty()) {
            throw invalid(kind, "spec.user", "at least one of user or group must be specified");
        }
        return UserInfo.of(user, spec.path("uid").asText(""), groups);
    }

    private ObjectNode envelope(String apiVersion, String kind) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("kind", kind);
        out.put("apiVersion", apiVersion);
        out.putObject("metadata").put("creationTimestamp", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        return out;
    }

    /** The request as sent, with kind, apiVersion and metadata set as kube-apiserver answers them. */
    private ObjectNode echo(ObjectNode body, String apiVersion, String kind) {
        ObjectNode out = envelope(apiVersion, kind);
        out.set("spec", body.path("spec").isObject() ? body.get("spec").deepCopy() : Json.mapper().createObjectNode());
        return out;
    }

    private static ObjectNode userJson(UserInfo user) {
        ObjectNode u = Json.mapper().createObjectNode();
        u.put("username", user.name());
        if (!user.uid().isEmpty()) {
            u.put("uid", user.uid());
        }
        u.set("groups", strings(user.groups()));
        if (!user.extra().isEmpty()) {
            ObjectNode extra = u.putObject("extra");
            for (Map.Entry<String, List<String>> e : user.extra().entrySet()) {
                extra.set(e.getKey(), strings(e.getValue()));
            }
        }
        return u;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static KubeApiException invalid(String kind, String field, String message) {
        String group = kind.equals("TokenReview") ? "authentication.k8s.io" : "authorization.k8s.io";
        return KubeApiException.of(Status.invalid(new Status.ResourceName(group, kind.toLowerCase(java.util.Locale.ROOT) + "s", ""),
                kind + "." + group, List.of(Status.Cause.invalid(field, message))));
    }
}
