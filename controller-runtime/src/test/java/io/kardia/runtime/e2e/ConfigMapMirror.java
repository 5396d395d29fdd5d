package io.kardia.runtime.e2e;

import io.kardia.core.client.KubeApiException.NotFoundException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.EventFilters;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import java.util.List;

/** Keeps a copy of every ConfigMap labelled {@code mirror=true} in namespace {@code mirror}. */
public record ConfigMapMirror(ResourceClient<ConfigMap> configMaps) implements TypedReconciler<ConfigMap> {
    static final String SOURCE = "kardia.io/mirror-of";

    public static void register(Manager manager) {
        manager.newController().forKind(ConfigMap.class).named("mirror")
                .withEventFilter(EventFilters.hasLabel("mirror", "true"))
                .watches(ConfigMap.class, copy -> copy.metadata().annotations().containsKey(SOURCE)
                        ? List.of(Request.fromKey(copy.metadata().annotations().get(SOURCE))) : List.of())
                .complete(new ConfigMapMirror(manager.client().resources(ConfigMap.class)));
    }

    @Override
    public Result reconcile(ConfigMap source) {
        if (!"true".equals(source.metadata().labels().get("mirror"))) {
            return reconcileAbsent(Request.of(source));
        }
        ObjectMeta meta = ObjectMeta.builder().namespace("mirror").name(copyName(Request.of(source)))
                .annotation(SOURCE, source.key()).build();
        configMaps.find("mirror", meta.name()).ifPresentOrElse(
                copy -> { if (!copy.data().equals(source.data())) configMaps.update(copy.withData(source.data())); },
                () -> configMaps.create(ConfigMap.of(meta, source.data())));
        return Result.done();
    }

    @Override
    public Result reconcileAbsent(Request source) {
        try {
            configMaps.delete("mirror", copyName(source));
        } catch (NotFoundException alreadyGone) {
            // nothing to clean up
        }
        return Result.done();
    }

    static String copyName(Request source) {
        return source.namespace() + "." + source.name();
    }
}
