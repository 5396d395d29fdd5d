package io.kardia.crd.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.crd.ConversionWebhook;
import io.kardia.core.crd.CustomResources;
import io.kardia.core.crd.Kind;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Status;
import io.kardia.core.validation.Causes;
import io.kardia.store.validation.CrdValidator;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Generates, for every record annotated with {@link Kind}: its CustomResourceDefinition (written to
 * {@value CustomResources#CRD_RESOURCE_DIR}{@code <plural>.<group>.yaml} in the class output, so
 * it is packaged in the jar) and a builder with withers for it and each record it contains
 * ({@link BuilderWriter}). The CRD is checked as the API server checks a CRD on create, CEL rules
 * compiled included; any problem is a compile error on the type or field it comes from.
 */
public final class CrdProcessor extends AbstractProcessor {
    private static final String KARDIA_CONTROLLER = "io.kardia.runtime.micronaut.KardiaController";
    private static final String RBAC = "io.kardia.runtime.rbac.Rbac";
    /** Where controller-runtime's Webhooks serve conversions (Webhooks.CONVERT_PATH, kubebuilder's). */
    private static final String CONVERT_PATH = "/convert";
    private final Set<String> builtRecords = new HashSet<>();
    private RbacCollector rbac;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Kind.class.getName(), ConversionWebhook.class.getName(), KARDIA_CONTROLLER, RBAC, RBAC + ".List");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(RbacCollector.NAME, RbacCollector.NAMESPACE, RbacCollector.ROLE_NAMESPACE);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    /** One {@code @Kind} record's CRD, before its versions are merged with the kind's other records. */
    private record Generated(TypeElement type, CustomResourceDefinition crd, SchemaBuilder schemas) {
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<Element> roots = new HashSet<>(round.getRootElements());
        Map<String, List<Generated>> byCrd = new LinkedHashMap<>();
        for (Element element : round.getElementsAnnotatedWith(Kind.class)) {
            try {
                TypeElement type = (TypeElement) element;
                SchemaBuilder schemas = new SchemaBuilder(processingEnv);
                CustomResourceDefinition crd = definition(type, schemas);
                byCrd.computeIfAbsent(crd.metadata().name(), n -> new ArrayList<>()).add(new Generated(type, crd, schemas));
                for (TypeElement record : schemas.records()) {
                    if (roots.contains(outermost(record)) && builtRecords.add(record.getQualifiedName().toString())) {
                        new BuilderWriter(processingEnv, record).write();
                    }
                }
            } catch (GenerationException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(),
                        e.element() == null ? element : e.element());
            }
        }
        for (List<Generated> versions : byCrd.values()) {
            try {
                CustomResourceDefinition crd = withConversion(versions, merge(versions));
                check(versions, crd);
                write(versions, crd);
            } catch (GenerationException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(),
                        e.element() == null ? versions.getFirst().type() : e.element());
            }
        }
        collectRbac(annotations, round);
        return false;
    }

    /** One CRD from the records of one kind's versions: names and scope must agree, one storage version. */
    private static CustomResourceDefinition merge(List<Generated> versions) {
        Generated first = versions.getFirst();
        List<CustomResourceDefinition.Version> all = new ArrayList<>();
        List<String> storage = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Generated g : versions) {
            CustomResourceDefinition.Spec spec = g.crd().spec();
            if (!spec.names().equals(first.crd().spec().names()) || !spec.scope().equals(first.crd().spec().scope())) {
                throw new GenerationException(g.type(), SchemaBuilder.name(g.type()) + " and "
                        + SchemaBuilder.name(first.type()) + " are versions of " + first.crd().metadata().name()
                        + " but differ in kind, names or scope; give them the same @Kind(kind, plural, singular,"
                        + " shortNames, categories, scope)");
            }
            CustomResourceDefinition.Version v = spec.versions().getFirst();
            if (!names.add(v.name())) {
                throw new GenerationException(g.type(), SchemaBuilder.name(g.type()) + ": version " + v.name() + " of "
                        + first.crd().metadata().name() + " is declared by more than one record");
            }
            if (Boolean.TRUE.equals(v.storage())) {
                storage.add(SchemaBuilder.name(g.type()) + " (" + v.name() + ")");
            }
            all.add(v);
        }
        if (storage.size() != 1) {
            throw new GenerationException(first.type(), first.crd().metadata().name() + " needs exactly one storage"
                    + " version, found " + (storage.isEmpty() ? "none" : String.join(", ", storage))
                    + "; set @Kind(storage = false) on all versions but one");
        }
        all.sort(java.util.Comparator.comparing(CustomResourceDefinition.Version::name));
        CustomResourceDefinition.Spec spec = first.crd().spec();
        return first.crd().withSpec(new CustomResourceDefinition.Spec(spec.group(), spec.names(), spec.scope(), all,
                spec.extra()));
    }

    /**
     * {@code spec.conversion} when one of the kind's version records asks for its conversion
     * webhook ({@link ConversionWebhook}); none, so strategy None, otherwise.
     */
    private CustomResourceDefinition withConversion(List<Generated> versions, CustomResourceDefinition crd) {
        List<Generated> declaring = versions.stream().filter(g -> g.type().getAnnotation(ConversionWebhook.class) != null).toList();
        String name = crd.metadata().name();
        if (declaring.isEmpty()) {
            if (versions.size() > 1 && schemasDiffer(crd)) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, name + ": the versions "
                        + versions.stream().map(g -> g.crd().spec().versions().getFirst().name()).sorted().toList()
                        + " have different schemas but no conversion: the API server only rewrites apiVersion between"
                        + " them, so fields can be lost; declare a Converter and put @ConversionWebhook on one of them",
                        versions.getFirst().type());
            }
            return crd;
        }
        if (declaring.size() > 1) {
            throw new GenerationException(declaring.get(1).type(), name + ": @ConversionWebhook is declared on "
                    + declaring.stream().map(g -> SchemaBuilder.name(g.type())).toList() + "; declare it on one version only");
        }
        TypeElement type = declaring.getFirst().type();
        if (versions.size() < 2) {
            throw new GenerationException(type, SchemaBuilder.name(type) + ": @ConversionWebhook on " + name
                    + ", which has a single version: there is nothing to convert; add a @Kind record per version or"
                    + " remove the annotation");
        }
        ConversionWebhook webhook = type.getAnnotation(ConversionWebhook.class);
        Map<String, String> options = processingEnv.getOptions();
        String service = webhook.service().isEmpty() ? options.getOrDefault(RbacCollector.NAME, "operator") + "-webhook"
                : webhook.service();
        String namespace = webhook.namespace().isEmpty() ? options.getOrDefault(RbacCollector.NAMESPACE, "default")
                : webhook.namespace();
        if (webhook.port() < 1 || webhook.port() > 65535) {
            throw new GenerationException(type, SchemaBuilder.name(type) + ": @ConversionWebhook(port = " + webhook.port()
                    + ") is not a port (1-65535)");
        }
        Map<String, Object> serviceRef = new LinkedHashMap<>();
        serviceRef.put("namespace", namespace);
        serviceRef.put("name", service);
        serviceRef.put("path", CONVERT_PATH);
        serviceRef.put("port", webhook.port());
        Map<String, Object> conversion = new LinkedHashMap<>();
        conversion.put("strategy", "Webhook");
        conversion.put("webhook", Map.of("conversionReviewVersions", List.of("v1"), "clientConfig", Map.of("service", serviceRef)));
        Map<String, Object> extra = new LinkedHashMap<>(crd.spec().extra() == null ? Map.of() : crd.spec().extra());
        extra.put("conversion", conversion);
        CustomResourceDefinition.Spec spec = crd.spec();
        // The caBundle is not known at build time: cert-manager's CA injector writes it into
        // spec.conversion from the Certificate this annotation names, as kubebuilder's CRD patches do.
        String certificate = webhook.certificate().isEmpty()
                ? namespace + "/" + options.getOrDefault(RbacCollector.NAME, "operator") + "-serving-cert"
                : webhook.certificate();
        if (!certificate.matches("[^/]+/[^/]+")) {
            throw new GenerationException(type, SchemaBuilder.name(type) + ": @ConversionWebhook(certificate = \""
                    + certificate + "\") is not namespace/name");
        }
        return crd.withMetadata(crd.metadata().toBuilder().annotation(CA_INJECTION_ANNOTATION, certificate).build())
                .withSpec(new CustomResourceDefinition.Spec(spec.group(), spec.names(), spec.scope(), spec.versions(), extra));
    }

    /** cert-manager's CA injector: fills clientConfig.caBundle from the Certificate {@code namespace/name}. */
    static final String CA_INJECTION_ANNOTATION = "cert-manager.io/inject-ca-from";

    private static boolean schemasDiffer(CustomResourceDefinition crd) {
        return crd.spec().versions().stream().map(v -> v.schema()).distinct().count() > 1;
    }

    /** Permissions from @KardiaController and @Rbac, written once the last round is over. */
    private void collectRbac(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (rbac == null) {
            rbac = new RbacCollector(processingEnv);
        }
        for (TypeElement annotation : annotations) {
            String name = annotation.getQualifiedName().toString();
            if (!name.equals(KARDIA_CONTROLLER) && !name.equals(RBAC) && !name.equals(RBAC + ".List")) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                try {
                    Annotations found = Annotations.of(processingEnv.getElementUtils(), element);
                    if (name.equals(KARDIA_CONTROLLER)) {
                        found.find(KARDIA_CONTROLLER).ifPresent(v -> rbac.controller(element, v));
                    } else {
                        for (Map<String, Object> v : found.all(RBAC, RBAC + ".List")) {
                            rbac.controller(element, v);
                        }
                    }
                } catch (GenerationException e) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(), element);
                }
            }
        }
        if (round.processingOver() && !rbac.isEmpty()) {
            try {
                rbac.write();
            } catch (GenerationException e) {
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, e.getMessage(), e.element());
            }
        }
    }

    private static Element outermost(TypeElement type) {
        Element e = type;
        while (e.getEnclosingElement() != null && e.getEnclosingElement().getKind() != ElementKind.PACKAGE
                && e.getEnclosingElement().getKind() != ElementKind.MODULE) {
            e = e.getEnclosingElement();
        }
        return e;
    }

    private CustomResourceDefinition definition(TypeElement type, SchemaBuilder schemas) {
        String name = SchemaBuilder.name(type);
        if (type.getKind() != ElementKind.RECORD) {
            throw new GenerationException(type, name + ": @Kind goes on a record, e.g. record " + type.getSimpleName()
                    + "(ObjectMeta metadata, Spec spec, Status status) implements CustomResource<Spec, Status>");
        }
        TypeElement customResource = processingEnv.getElementUtils().getTypeElement("io.kardia.core.crd.CustomResource");
        TypeMirror erased = processingEnv.getTypeUtils().erasure(customResource.asType());
        if (!processingEnv.getTypeUtils().isAssignable(processingEnv.getTypeUtils().erasure(type.asType()), erased)) {
            throw new GenerationException(type, name + ": a @Kind record must implement CustomResource<Spec, Status>");
        }
        Kind kind = type.getAnnotation(Kind.class);
        String kindName = CustomResources.kindName(kind, type.getSimpleName().toString());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("apiVersion", Map.of("type", "string"));
        properties.put("kind", Map.of("type", "string"));
        Map<String, Object> root = schemas.recordSchema(type, type, name);
        @SuppressWarnings("unchecked")
        Map<String, Object> declared = (Map<String, Object>) root.getOrDefault("properties", Map.of());
        if (!declared.containsKey("spec") || !declared.containsKey("metadata")) {
            throw new GenerationException(type, name + ": a @Kind record needs the components metadata (ObjectMeta)"
                    + " and spec");
        }
        properties.putAll(declared);
        root.put("properties", properties);

        Map<String, Object> subresources = new LinkedHashMap<>();
        if (kind.statusSubresource()) {
            if (!declared.containsKey("status")) {
                throw new GenerationException(type, name + ": the status subresource needs a status component;"
                        + " declare one or set @Kind(statusSubresource = false)");
            }
            subresources.put("status", Map.of());
        }
        Annotations typeAnnotations = Annotations.of(processingEnv.getElementUtils(), type);
        typeAnnotations.find("io.kardia.core.crd.Scale").ifPresent(s -> {
            Map<String, Object> scale = new LinkedHashMap<>();
            scale.put("specReplicasPath", s.get("specReplicasPath"));
            scale.put("statusReplicasPath", s.get("statusReplicasPath"));
            if (!String.valueOf(s.get("labelSelectorPath")).isEmpty()) {
                scale.put("labelSelectorPath", s.get("labelSelectorPath"));
            }
            subresources.put("scale", scale);
        });
        List<Map<String, Object>> columns = new ArrayList<>();
        for (Map<String, Object> c : typeAnnotations.all("io.kardia.core.crd.PrinterColumn",
                "io.kardia.core.crd.PrinterColumn.List")) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("name", c.get("name"));
            column.put("type", c.get("type"));
            column.put("jsonPath", c.get("jsonPath"));
            for (String key : List.of("format", "description")) {
                if (!String.valueOf(c.get(key)).isEmpty()) {
                    column.put(key, c.get(key));
                }
            }
            if (((Number) c.get("priority")).intValue() != 0) {
                column.put("priority", c.get("priority"));
            }
            columns.add(column);
        }
        Map<String, Object> versionExtra = columns.isEmpty() ? null : Map.of("additionalPrinterColumns", columns);
        Map<String, Object> versionSubresources = Json.mapper().convertValue(subresources, Map.class);
        CustomResourceDefinition.Subresources sub = subresources.isEmpty() ? null
                : Json.mapper().convertValue(versionSubresources, CustomResourceDefinition.Subresources.class);
        CustomResourceDefinition.Version version = new CustomResourceDefinition.Version(kind.version(), kind.served(),
                kind.storage(),
                Map.of("openAPIV3Schema", root), sub, versionExtra);
        CustomResourceDefinition.Names names = new CustomResourceDefinition.Names(CustomResources.plural(kind, kindName),
                CustomResources.singular(kind, kindName), kindName, kindName + "List", List.of(kind.shortNames()),
                List.of(kind.categories()), null);
        return CustomResourceDefinition.of(CustomResourceDefinition.Spec.of(kind.group(), names,
                kind.scope() == Kind.Scope.NAMESPACED ? CustomResourceDefinition.NAMESPACED
                        : CustomResourceDefinition.CLUSTER, List.of(version)));
    }

    /** Validates the CRD as the reference store does on create: names, structural schema, CEL rules and their cost. */
    private void check(List<Generated> versions, CustomResourceDefinition crd) {
        TypeElement type = versions.getFirst().type();
        ObjectNode node = Json.mapper().valueToTree(crd);
        Causes causes = new Causes();
        try {
            new CrdValidator().validateCreate(node, causes);
        } catch (NoClassDefFoundError e) {
            throw new GenerationException(type, "kardia-crd-generator cannot check the CRD of " + SchemaBuilder.name(type)
                    + ": " + e.getMessage() + " is missing; put kardia-crd-generator on the compiler's"
                    + " annotationProcessorPaths, which brings its dependencies (kardia-reference-store)");
        }
        if (causes.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("the CustomResourceDefinition generated from " + SchemaBuilder.name(type)
                + " is invalid:");
        for (Status.Cause cause : causes.list()) {
            message.append("\n  ").append(cause.field()).append(": ").append(cause.message());
            versions.stream().flatMap(v -> origin(cause, v.schemas()).stream()).findFirst()
                    .ifPresent(o -> message.append(" (declared on ").append(o).append(")"));
        }
        throw new GenerationException(type, message.toString());
    }

    private static Optional<String> origin(Status.Cause cause, SchemaBuilder schemas) {
        String text = cause.field() + " " + cause.message();
        return schemas.ruleOrigins().entrySet().stream().filter(e -> text.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    private void write(List<Generated> versions, CustomResourceDefinition crd) {
        TypeElement type = versions.getFirst().type();
        String resource = CustomResources.crdResource(crd.spec().names().plural(), crd.spec().group());
        try {
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "", resource,
                    versions.stream().map(Generated::type).toArray(Element[]::new));
            try (Writer out = file.openWriter()) {
                out.write("# Generated by kardia-crd-generator from " + versions.stream()
                        .map(v -> v.type().getQualifiedName().toString()).collect(java.util.stream.Collectors.joining(", "))
                        + "; do not edit.\n");
                out.write(Yaml.write(crd));
            }
        } catch (IOException e) {
            throw new GenerationException(type, "cannot write " + resource + ": " + e.getMessage());
        }
    }

    /** The CustomResource<S, T> supertype of a @Kind record, for typed withers. */
    static Optional<DeclaredType> customResourceSupertype(javax.annotation.processing.ProcessingEnvironment env,
                                                          TypeElement record) {
        for (TypeMirror t : record.getInterfaces()) {
            if (t instanceof DeclaredType d && ((TypeElement) d.asElement()).getQualifiedName()
                    .contentEquals("io.kardia.core.crd.CustomResource")) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
