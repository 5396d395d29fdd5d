package io.kardia.runtime.micronaut;

import io.kardia.core.model.ConfigMap;
import io.kardia.runtime.webhook.AdmissionDeniedException;
import io.kardia.runtime.webhook.Defaulter;
import io.kardia.runtime.webhook.Validator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A validator and defaulter declared as one bean: refuses a 'forbidden' key, labels every ConfigMap. */
@KardiaWebhook(forKind = ConfigMap.class, operations = {"CREATE", "UPDATE"})
public class NoForbiddenKeyWebhook implements Validator<ConfigMap>, Defaulter<ConfigMap> {
    private final SeenConfigMaps seen;

    public NoForbiddenKeyWebhook(SeenConfigMaps seen) {
        this.seen = seen;
    }

    @Override
    public List<String> validateCreate(ConfigMap cm) {
        seen.names.add("validated:" + cm.metadata().name());
        if (cm.data() != null && cm.data().containsKey("forbidden")) {
            throw new AdmissionDeniedException("the key 'forbidden' is not allowed");
        }
        return List.of();
    }

    @Override
    public ConfigMap applyDefaults(ConfigMap cm) {
        Map<String, String> labels = new HashMap<>(cm.metadata().labels() == null ? Map.of() : cm.metadata().labels());
        labels.put("defaulted-by", "bean");
        return cm.withMetadata(cm.metadata().withLabels(labels));
    }
}
