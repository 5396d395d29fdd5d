package ${package}.${conversionVersion};

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.micronaut.KardiaWebhook;
import io.kardia.runtime.webhook.Converter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conversion webhook of {@code ${kind}} (generated with {@code -Dconversion=true}): converts
 * objects between {@code ${apiVersion}} ({@link ${package}.${kind}}, stored) and
 * {@code ${conversionVersion}} ({@link ${kind}}). The API server calls it whenever an object is
 * written or read in the version it is not stored in. A Micronaut bean: {@code OperatorMain} serves
 * it on {@code /convert} of its webhook server ({@code --webhook-port}), as it serves the
 * {@code @KardiaWebhook} validators and defaulters.
 *
 * <p>Conversions must not lose anything the other version can hold, or an object read in one
 * version and written back in the other changes; a throwing conversion refuses the request with
 * its message. Only the spec and status are converted here: the API server keeps the metadata.
 */
@KardiaWebhook(forKind = ${kind}.class)
public class ${kind}Converter implements Converter {
    private final Converter between = Converter.between(ResourceTypes.of(${package}.${kind}.class), ResourceTypes.of(${kind}.class),
            ${kind}Converter::fromStored, ${kind}Converter::toStored);

    @Override
    public ObjectNode convert(ObjectNode object, String desiredApiVersion) {
        return between.convert(object, desiredApiVersion);
    }

    /** {@code ${apiVersion}} to {@code ${conversionVersion}}: the data map becomes a list of entries, in key order. */
    static ${kind} fromStored(${package}.${kind} stored) {
        ${kind}.Spec spec = stored.spec() == null ? null : new ${kind}.Spec(stored.spec().data().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new ${kind}.Entry(e.getKey(), e.getValue()))
                .toList());
        ${package}.${kind}.Status s = stored.status();
        ${kind}.Status status = s == null ? null : new ${kind}.Status(s.observedGeneration(), s.configMapName(), s.conditions());
        return new ${kind}(stored.metadata(), spec, status);
    }

    /** {@code ${conversionVersion}} to {@code ${apiVersion}}: the entries become the data map; a key given twice, or an entry without key or value, is refused. */
    static ${package}.${kind} toStored(${kind} object) {
        ${package}.${kind}.Spec spec = null;
        if (object.spec() != null) {
            Map<String, String> data = new LinkedHashMap<>();
            List<${kind}.Entry> entries = object.spec().entries();
            for (int i = 0; i < entries.size(); i++) {
                ${kind}.Entry entry = entries.get(i);
                if (entry.key() == null || entry.value() == null) {
                    throw new IllegalArgumentException("spec.entries[" + i + "] needs a key and a value");
                }
                if (data.putIfAbsent(entry.key(), entry.value()) != null) {
                    throw new IllegalArgumentException("spec.entries has the key '" + entry.key() + "' twice");
                }
            }
            spec = new ${package}.${kind}.Spec(data);
        }
        ${kind}.Status s = object.status();
        ${package}.${kind}.Status status = s == null ? null
                : new ${package}.${kind}.Status(s.observedGeneration(), s.configMapName(), s.conditions());
        return new ${package}.${kind}(object.metadata(), spec, status);
    }
}
