package io.kardia.runtime.e2e;

import io.kardia.core.client.KubeApiException.NotFoundException;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.CachedResources;
import io.kardia.runtime.EventFilters;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import java.util.List;
import java.util.Optional;

/** Keeps a copy of every ConfigMap labelled {@code mirror=true} in namespace {@code mirror} (the README example). */
public record ConfigMapMirror(CachedResources<ConfigMap> configMaps) implements TypedReconciler<ConfigMap> {
    static final String SOURCE = "kardia.io/mirror-of";

    public static void main(String[] args) throws Exception {
        try (var client = HttpKubeClient.autoConfigure(); var manager = Manager.builder(client).httpPort(8080).build()) {
            register(manager);
            manager.run(); // until SIGTERM, then a graceful shutdown
        }
    }

    static void register(Manager manager) {
        manager.newController().forKind(ConfigMap.class).withEventFilter(EventFilters.hasLabel("mirror", "true"))
                .watches(ConfigMap.class, copy -> Optional.ofNullable(copy.metadata().annotations().get(SOURCE))
                        .map(source -> List.of(Request.fromKey(source))).orElse(List.of()))
                .complete(new ConfigMapMirror(manager.client().resources(ConfigMap.class)));
    }

    public Result reconcile(ConfigMap source) {
        if (!"true".equals(source.metadata().labels().get("mirror"))) return reconcileAbsent(Request.of(source));
        var meta = ObjectMeta.builder().namespace("mirror").name(source.metadata().namespace() + "." + source.metadata().name())
                .annotation(SOURCE, source.key()).build();
        var copy = configMaps.find("mirror", meta.name());
        if (copy.isEmpty()) configMaps.create(ConfigMap.of(meta, source.data()));
        else if (!copy.get().data().equals(source.data())) configMaps.update(copy.get().withData(source.data()));
        return Result.done();
    }

    public Result reconcileAbsent(Request source) {
        try { configMaps.delete("mirror", source.namespace() + "." + source.name()); } catch (NotFoundException gone) { }
        return Result.done();
    }
}
