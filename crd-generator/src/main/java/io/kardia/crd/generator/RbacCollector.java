package io.kardia.crd.generator;

import io.kardia.core.crd.CustomResources;
import io.kardia.core.crd.Kind;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Collects the permissions {@code @KardiaController} and {@code @Rbac} declare across a
 * compilation and writes the operator's RBAC manifest: a ServiceAccount, a ClusterRole (or a Role,
 * with {@value #ROLE_NAMESPACE}) and the binding between them. Every operator also gets what the
 * manager itself uses: Events (recorder) and Leases (leader election).
 */
final class RbacCollector {
    static final String RESOURCE = "META-INF/kardia/rbac/rbac.yaml";
    static final String NAME = "kardia.rbac.name";
    static final String NAMESPACE = "kardia.rbac.namespace";
    static final String ROLE_NAMESPACE = "kardia.rbac.roleNamespace";
    private static final List<String> PRIMARY = List.of("get", "list", "watch", "update", "patch");
    private static final List<String> OWNED = List.of("get", "list", "watch", "create", "update", "patch", "delete");

    private final ProcessingEnvironment env;
    /** apiGroup → resource → verbs. */
    private final Map<String, Map<String, Set<String>>> rules = new TreeMap<>();
    private final List<Element> origins = new ArrayList<>();

    RbacCollector(ProcessingEnvironment env) {
        this.env = env;
    }

    void controller(Element element, Map<String, Object> values) {
        origins.add(element);
        for (Object kind : classes(values, "forKind")) {
            primary(element, (TypeMirror) kind);
        }
        for (Object kind : classes(values, "reconciles")) {
            primary(element, (TypeMirror) kind);
        }
        for (Object kind : classes(values, "owns")) {
            ResourceType<?> type = resolve(element, (TypeMirror) kind);
            grant(type.group(), type.plural(), OWNED);
        }
        List<String> resources = strings(values, "resources");
        if (!resources.isEmpty()) {
            List<String> verbs = strings(values, "verbs");
            if (verbs.isEmpty()) {
                throw new GenerationException(element, SchemaBuilder.name((TypeElement) element)
                        + ": @Rbac(resources = ...) needs verbs");
            }
            for (String group : strings(values, "apiGroups")) {
                for (String resource : resources) {
                    grant(group, resource, verbs);
                }
            }
        }
    }

    private static List<?> classes(Map<String, Object> values, String key) {
        Object v = values.get(key);
        return v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    }

    private static List<String> strings(Map<String, Object> values, String key) {
        return classes(values, key).stream().map(String::valueOf).toList();
    }

    private void primary(Element element, TypeMirror kind) {
        ResourceType<?> type = resolve(element, kind);
        grant(type.group(), type.plural(), PRIMARY);
        grant(type.group(), type.plural() + "/status", List.of("get", "update", "patch"));
        grant(type.group(), type.plural() + "/finalizers", List.of("update"));
    }

    private void grant(String group, String resource, List<String> verbs) {
        rules.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(resource, r -> new TreeSet<>()).addAll(verbs);
    }

    /** The group and plural of a kind class: from its @Kind, or from Kardia's built-in kinds. */
    @SuppressWarnings("unchecked")
    private ResourceType<?> resolve(Element where, TypeMirror kind) {
        TypeElement type = (TypeElement) ((DeclaredType) kind).asElement();
        Kind annotation = type.getAnnotation(Kind.class);
        if (annotation != null) {
            String kindName = CustomResources.kindName(annotation, type.getSimpleName().toString());
            return ResourceType.generic(annotation.group(), annotation.version(), kindName,
                    CustomResources.plural(annotation, kindName), annotation.scope() == Kind.Scope.NAMESPACED);
        }
        try {
            Class<?> c = Class.forName(type.getQualifiedName().toString(), false, getClass().getClassLoader());
            return ResourceTypes.of((Class<? extends KubeObject>) c);
        } catch (ClassNotFoundException | IllegalArgumentException | ClassCastException e) {
            throw new GenerationException(where, "cannot tell the API resource of " + type.getQualifiedName()
                    + " for the RBAC manifest: give it @Kind, or declare its permissions with @Rbac(apiGroups = ...,"
                    + " resources = ..., verbs = ...)");
        }
    }

    boolean isEmpty() {
        return origins.isEmpty();
    }

    void write() {
        grant("", "events", List.of("create", "patch"));
        grant("coordination.k8s.io", "leases", List.of("get", "create", "update"));
        Map<String, String> options = env.getOptions();
        String name = options.getOrDefault(NAME, "operator");
        String namespace = options.getOrDefault(NAMESPACE, "default");
        String roleNamespace = options.get(ROLE_NAMESPACE);
        boolean cluster = roleNamespace == null || roleNamespace.isEmpty();

        List<Map<String, Object>> policy = new ArrayList<>();
        rules.forEach((group, byResource) -> {
            // One rule per distinct verb set within a group, as controller-gen writes them.
            Map<Set<String>, List<String>> byVerbs = new LinkedHashMap<>();
            byResource.forEach((resource, verbs) -> byVerbs.computeIfAbsent(verbs, v -> new ArrayList<>()).add(resource));
            byVerbs.forEach((verbs, resources) -> {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("apiGroups", List.of(group));
                rule.put("resources", resources);
                rule.put("verbs", List.copyOf(verbs));
                policy.add(rule);
            });
        });
        Map<String, Object> account = object("v1", "ServiceAccount", name, namespace);
        Map<String, Object> role = object("rbac.authorization.k8s.io/v1", cluster ? "ClusterRole" : "Role", name,
                cluster ? null : roleNamespace);
        role.put("rules", policy);
        Map<String, Object> binding = object("rbac.authorization.k8s.io/v1", cluster ? "ClusterRoleBinding" : "RoleBinding",
                name, cluster ? null : roleNamespace);
        binding.put("roleRef", Map.of("apiGroup", "rbac.authorization.k8s.io", "kind", role.get("kind"), "name", name));
        binding.put("subjects", List.of(Map.of("kind", "ServiceAccount", "name", name, "namespace", namespace)));
        try {
            FileObject file = env.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", RESOURCE,
                    origins.toArray(Element[]::new));
            try (Writer out = file.openWriter()) {
                out.write("# Generated by kardia-crd-generator from @KardiaController and @Rbac; do not edit.\n");
                out.write(Yaml.writeAll(List.of(account, role, binding)));
            }
        } catch (IOException e) {
            throw new GenerationException(origins.getFirst(), "cannot write " + RESOURCE + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> object(String apiVersion, String kind, String name, String namespace) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("name", name);
        if (namespace != null) {
            meta.put("namespace", namespace);
        }
        o.put("metadata", meta);
        return o;
    }
}
