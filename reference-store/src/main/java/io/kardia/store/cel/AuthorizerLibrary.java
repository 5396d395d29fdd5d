package io.kardia.store.cel;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.kardia.store.auth.Authorizer;
import io.kardia.store.auth.RequestAttributes;
import io.kardia.store.auth.UserInfo;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' CEL authorization library (k8s.io/apiserver/pkg/cel/library/authz.go) for admission
 * expressions: {@code authorizer.group('apps').resource('deployments').namespace('ns').name('x')
 * .check('update').allowed()}, {@code authorizer.path('/healthz').check('get')},
 * {@code authorizer.serviceAccount('ns', 'sa')} (checks as that ServiceAccount) and
 * {@code authorizer.requestResource} (the request's own resource), answered by the store's
 * authorizer for the user making the write. A {@code Decision} has {@code allowed()},
 * {@code reason()}, {@code errored()} and {@code error()}.
 */
public final class AuthorizerLibrary {
    /** The variable holding the authorizer, as kube names it. */
    public static final String VARIABLE = "authorizer";
    /** The variable holding the request's own resource check, as kube names it. */
    public static final String REQUEST_RESOURCE = "authorizer.requestResource";

    static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    static final OpaqueType PATH_CHECK = OpaqueType.create("kubernetes.authorization.PathCheck");
    static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
    static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    private AuthorizerLibrary() {
    }

    /** Who is asking and who answers. */
    public record AuthorizerValue(UserInfo user, Authorizer authorizer) {
    }

    record PathCheck(AuthorizerValue on, String path) {
    }

    record GroupCheck(AuthorizerValue on, String group) {
    }

    /** A resource check being built; {@code check(verb)} asks with what is set so far. */
    public record ResourceCheck(AuthorizerValue on, String group, String resource, String subresource, String namespace, String name) {
        ResourceCheck with(String newSubresource, String newNamespace, String newName) {
            return new ResourceCheck(on, group, resource, newSubresource, newNamespace, newName);
        }
    }

    record Decision(boolean allowed, String reason, String error) {
    }

    /** The variables of an admission expression: name to type. */
    public static Map<String, CelType> variables() {
        return Map.of(VARIABLE, AUTHORIZER, REQUEST_RESOURCE, RESOURCE_CHECK);
    }

    /** The request's own resource, as {@code authorizer.requestResource}. */
    public static ResourceCheck requestResource(AuthorizerValue on, String group, String resource, String subresource,
                                                String namespace, String name) {
        return new ResourceCheck(on, group, resource, nullToEmpty(subresource), nullToEmpty(namespace), nullToEmpty(name));
    }

    static List<CelFunctionDecl> declarations() {
        return List.of(
                fn("path", member("authorizer_path", PATH_CHECK, AUTHORIZER, SimpleType.STRING)),
                fn("group", member("authorizer_group", GROUP_CHECK, AUTHORIZER, SimpleType.STRING)),
                fn("serviceAccount", member("authorizer_serviceaccount", AUTHORIZER, AUTHORIZER, SimpleType.STRING, SimpleType.STRING)),
                fn("resource", member("groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, SimpleType.STRING)),
                fn("subresource", member("resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                fn("namespace", member("resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                fn("name", member("resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                fn("check", member("pathcheck_check", DECISION, PATH_CHECK, SimpleType.STRING),
                        member("resourcecheck_check", DECISION, RESOURCE_CHECK, SimpleType.STRING)),
                fn("allowed", member("decision_allowed", SimpleType.BOOL, DECISION)),
                fn("reason", member("decision_reason", SimpleType.STRING, DECISION)),
                fn("errored", member("decision_errored", SimpleType.BOOL, DECISION)),
                fn("error", member("decision_error", SimpleType.STRING, DECISION)));
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("authorizer_path", AuthorizerValue.class, String.class, PathCheck::new),
                CelFunctionBinding.from("authorizer_group", AuthorizerValue.class, String.class, GroupCheck::new),
                CelFunctionBinding.from("authorizer_serviceaccount", List.of(AuthorizerValue.class, String.class, String.class),
                        args -> serviceAccount((AuthorizerValue) args[0], (String) args[1], (String) args[2])),
                CelFunctionBinding.from("groupcheck_resource", GroupCheck.class, String.class,
                        (g, resource) -> new ResourceCheck(g.on(), g.group(), resource, "", "", "")),
                CelFunctionBinding.from("resourcecheck_subresource", ResourceCheck.class, String.class,
                        (r, s) -> r.with(s, r.namespace(), r.name())),
                CelFunctionBinding.from("resourcecheck_namespace", ResourceCheck.class, String.class,
                        (r, ns) -> r.with(r.subresource(), ns, r.name())),
                CelFunctionBinding.from("resourcecheck_name", ResourceCheck.class, String.class,
                        (r, n) -> r.with(r.subresource(), r.namespace(), n)),
                CelFunctionBinding.from("pathcheck_check", PathCheck.class, String.class,
                        (p, verb) -> decide(p.on(), RequestAttributes.nonResource(p.on().user(), verb, p.path()))),
                CelFunctionBinding.from("resourcecheck_check", ResourceCheck.class, String.class,
                        (r, verb) -> decide(r.on(), RequestAttributes.resource(r.on().user(), verb, r.group(), "*", r.resource(),
                                r.subresource(), r.namespace(), r.name()))),
                CelFunctionBinding.from("decision_allowed", Decision.class, Decision::allowed),
                CelFunctionBinding.from("decision_reason", Decision.class, Decision::reason),
                CelFunctionBinding.from("decision_errored", Decision.class, d -> !d.error().isEmpty()),
                CelFunctionBinding.from("decision_error", Decision.class, Decision::error));
    }

    /** kube's serviceaccount.UserInfo: the ServiceAccount's user name and its two groups. */
    private static AuthorizerValue serviceAccount(AuthorizerValue on, String namespace, String name) {
        UserInfo sa = UserInfo.of(UserInfo.serviceAccountUserName(namespace, name), "",
                List.of(UserInfo.SERVICE_ACCOUNTS, UserInfo.SERVICE_ACCOUNTS + ":" + namespace, UserInfo.AUTHENTICATED));
        return new AuthorizerValue(sa, on.authorizer());
    }

    private static Decision decide(AuthorizerValue on, RequestAttributes attributes) {
        try {
            Authorizer.Decision d = on.authorizer().authorize(attributes);
            return new Decision(d.allowed(), d.reason() == null ? "" : d.reason(), "");
        } catch (RuntimeException e) {
            // kube: an authorizer error is a decision that errored (not allowed), not a failed expression
            return new Decision(false, "", String.valueOf(e.getMessage()));
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    private static CelOverloadDecl member(String id, CelType result, CelType... params) {
        return CelOverloadDecl.newMemberOverload(id, result, params);
    }
}
