package ${package}.${conversionVersion};

import io.kardia.core.crd.ConversionWebhook;
import io.kardia.core.crd.CustomResource;
import io.kardia.core.crd.Description;
import io.kardia.core.crd.Kind;
import io.kardia.core.crd.PrinterColumn;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ObjectMeta;
import java.util.List;

/**
 * Version {@code ${conversionVersion}} of the {@code ${kind}} custom resource (generated with
 * {@code -Dconversion=true}), served beside {@code ${apiVersion}} ({@link ${package}.${kind}}, the
 * version objects are stored in and the reconciler works with). Here the ConfigMap's entries are a
 * list of key/value pairs instead of a map. The API server converts between the two versions by
 * calling the operator's conversion webhook, {@link ${kind}Converter}: {@link ConversionWebhook}
 * puts it into the generated CRD ({@code spec.conversion}, strategy Webhook, through the Service of
 * {@code src/main/deploy/webhook.yaml}, its CA injected by cert-manager).
 *
 * <p>Another version of a kind is one more {@code @Kind} record with the same group, kind and
 * plural, here in a package named after its version: the build merges them into one CRD with one
 * storage version.
 */
@Kind(group = "${group}", version = "${conversionVersion}", kind = "${kind}", plural = "${plural}", storage = false)
@ConversionWebhook
@PrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
public record ${kind}(ObjectMeta metadata, Spec spec, Status status) implements CustomResource<${kind}.Spec, ${kind}.Status> {

    /** What the user asks for: the entries of the ConfigMap the operator maintains, as a list. */
    public record Spec(
            @Description("Entries of the ConfigMap the operator keeps for this ${kind}; each key at most once.")
            List<Entry> entries) {
        public Spec {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    /** One entry of the ConfigMap. */
    public record Entry(String key, String value) {
    }

    /** What the operator observed, as in {@code ${apiVersion}}. */
    public record Status(
            Long observedGeneration,
            String configMapName,
            List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }
}
