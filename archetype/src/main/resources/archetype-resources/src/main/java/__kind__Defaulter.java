package ${package};

import io.kardia.runtime.micronaut.KardiaWebhook;
import io.kardia.runtime.webhook.Defaulter;
import java.util.HashMap;
import java.util.Map;

/**
 * The mutating admission webhook of {@link ${kind}} (generated with {@code -Dwebhook=true}): the
 * API server calls it on every create and update, before validation, and stores what it returns
 * (the webhook answers with the JSON patch between the two). Here it labels every ${kind} with the
 * operator that manages it, unless the label is set. A Micronaut bean, served by
 * {@link OperatorMain} with the other {@code @KardiaWebhook} beans and declared to the API server
 * by the MutatingWebhookConfiguration in {@code src/main/deploy/webhook.yaml}
 * ({@code DeployManifestsTest} fails when the two disagree).
 */
@KardiaWebhook(forKind = ${kind}.class)
public class ${kind}Defaulter implements Defaulter<${kind}> {
    /** The label this webhook sets by default. */
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String OPERATOR = "${artifactId}";

    @Override
    public ${kind} applyDefaults(${kind} object) {
        Map<String, String> labels = object.metadata().labels();
        if (labels.containsKey(PART_OF)) {
            return object;
        }
        Map<String, String> defaulted = new HashMap<>(labels);
        defaulted.put(PART_OF, OPERATOR);
        return object.withMetadata(object.metadata().withLabels(defaulted));
    }
}
