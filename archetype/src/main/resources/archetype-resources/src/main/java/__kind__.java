package ${package};

import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Description;
import io.kardia.core.crd.Kind;
import io.kardia.core.crd.PrinterColumn;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/**
 * The {@code ${group}/${apiVersion} ${kind}} custom resource. Its CRD is generated from these
 * records when the project compiles (kardia-crd-generator, into
 * {@code target/classes/META-INF/kardia/crds/${plural}.${group}.yaml}), and so are the builders
 * and withers: adding a field to {@link Spec} is one line.
 *
 * <p>Records are immutable: change an object with the withers ({@code withSpec},
 * {@code spec.withData(...)}) or builders ({@code ${kind}Builder.builder()}). Fields these records
 * do not declare are kept when an object is read and written back.
#if( $conversion == "true" )
 *
 * <p>Objects are stored in this version, and the reconciler works with it; the API server also
 * serves them as {@code ${conversionVersion}} ({@link ${package}.${conversionVersion}.${kind}}),
 * converted by the operator's {@link ${package}.${conversionVersion}.${kind}Converter}.
#end
 */
@Kind(group = "${group}", version = "${apiVersion}", plural = "${plural}")
@PrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
public record ${kind}(ObjectMeta metadata, Spec spec, Status status)
        implements CustomResource<${kind}.Spec, ${kind}.Status>, ${kind}Builder.With {

    /** What the user asks for: the entries of the ConfigMap the operator maintains. */
    public record Spec(
            @Description("Entries of the ConfigMap the operator keeps for this ${kind}.")
            Map<String, String> data) implements ${kind}SpecBuilder.With {
        public Spec {
            data = data == null ? Map.of() : Map.copyOf(data);
        }
    }

    /** What the operator observed: the generation it acted on and a Ready condition. */
    public record Status(
            Long observedGeneration,
            String configMapName,
            List<Condition> conditions) implements ${kind}StatusBuilder.With {
        public static final Status EMPTY = ${kind}StatusBuilder.builder().build();

        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }
}
