package io.kardia.runtime.micronaut;

import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Secret;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;

/** A reconciler declared as a bean; Micronaut's processor writes its definition at compile time. */
@KardiaController(forKind = ConfigMap.class, owns = Secret.class, name = "cm-beans", maxConcurrentReconciles = 2)
public class ConfigMapBeanReconciler implements TypedReconciler<ConfigMap> {
    private final SeenConfigMaps seen;

    public ConfigMapBeanReconciler(SeenConfigMaps seen) {
        this.seen = seen;
    }

    @Override
    public Result reconcile(ConfigMap object) {
        seen.names.add(object.metadata().name());
        return Result.done();
    }
}
