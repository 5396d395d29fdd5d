package io.kardia.store.admission;

import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import io.kardia.store.cel.AuthorizerLibrary;
import io.kardia.store.cel.CombinedCelTypes;
import io.kardia.store.cel.KubeCel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * kube-apiserver's composited compiler for admission policy expressions: {@code object} and
 * {@code oldObject} ({@code dyn}, or a kind's type when type checking), {@code params} only when
 * the policy has a {@code paramKind}, {@code request} and {@code namespaceObject} typed as kube
 * declares them ({@link AdmissionCelTypes}), the authorizer, and {@code variables}: a struct whose
 * fields are the variables compiled so far, each typed as its expression ({@code dyn} when it does
 * not compile), so {@code variables.nope} or {@code variables.count == 'x'} does not compile.
 */
final class PolicyEnvironment {
    private final CelType object;
    /** null: the policy has no paramKind, and {@code params} is not declared. */
    private final CelType params;
    private final boolean requestResourceAuthorizer;
    private final List<CelTypeProvider> providers;
    /** Makes the environment from the variables and the type provider (MutatingAdmissionPolicies add their initialiser types). */
    private final BiFunction<Map<String, CelType>, CelTypeProvider, KubeCel> factory;
    private final Map<String, CelType> variableTypes = new LinkedHashMap<>();
    private KubeCel env;

    /**
     * @param requestResourceAuthorizer whether {@code authorizer.requestResource} is declared (kube's
     *                                  type checker declares {@code authorizer} only)
     */
    PolicyEnvironment(CelType object, CelType params, boolean requestResourceAuthorizer, List<CelTypeProvider> providers,
                      BiFunction<Map<String, CelType>, CelTypeProvider, KubeCel> factory) {
        this.object = object;
        this.params = params;
        this.requestResourceAuthorizer = requestResourceAuthorizer;
        this.providers = List.copyOf(providers);
        this.factory = factory;
    }

    /** The environment a policy's own expressions compile in: object and params {@code dyn}. */
    static PolicyEnvironment untyped(boolean hasParams) {
        return new PolicyEnvironment(SimpleType.DYN, hasParams ? SimpleType.DYN : null, true, List.of(), KubeCel::of);
    }

    /** The environment with the variables added so far. */
    KubeCel env() {
        if (env == null) {
            env = factory.apply(declarations(), types());
        }
        return env;
    }

    /** Adds variable {@code name}, typed as {@code type} (null: it did not compile, {@code dyn}), for the expressions after it. */
    void addVariable(String name, CelType type) {
        variableTypes.put(name, type == null ? SimpleType.DYN : type);
        env = null;
    }

    /** The struct types the declarations use (for an environment made per expression). */
    CelTypeProvider types() {
        List<CelTypeProvider> all = new ArrayList<>(providers);
        all.add(new AdmissionCelTypes(variableTypes));
        return new CombinedCelTypes(all);
    }

    /** The variables an expression sees now: name to type (for an environment made per expression). */
    Map<String, CelType> declarations() {
        Map<String, CelType> vars = new LinkedHashMap<>();
        vars.put("object", object);
        vars.put("oldObject", object);
        if (params != null) {
            vars.put("params", params);
        }
        vars.put("request", AdmissionCelTypes.REQUEST);
        vars.put("namespaceObject", AdmissionCelTypes.NAMESPACE);
        vars.put("variables", new AdmissionCelTypes(variableTypes).variables());
        if (requestResourceAuthorizer) {
            vars.putAll(AuthorizerLibrary.variables());
        } else {
            vars.put(AuthorizerLibrary.VARIABLE, AuthorizerLibrary.variables().get(AuthorizerLibrary.VARIABLE));
        }
        return vars;
    }
}
