package io.kardia.runtime;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.informer.SharedInformer;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before the informers start, that the API server serves every kind they watch: an
 * informer on a kind whose CRD is not installed would otherwise retry its LIST until the
 * cache-sync timeout and fail with a bare 404. One LIST of at most one object per kind and scope
 * (the informer's own first request, with the same permissions); only a 404 counts, every other
 * failure is left to the informer and the cache-sync timeout to report.
 */
final class ServedKinds {
    private static final Logger log = LoggerFactory.getLogger(ServedKinds.class);

    private ServedKinds() {
    }

    /** @throws KindNotServedException naming the first kind the server does not serve */
    static void require(KubeClient client, Iterable<SharedInformer<?>> informers) {
        Set<String> checked = new HashSet<>();
        for (SharedInformer<?> informer : informers) {
            ResourceType<?> type = informer.type();
            String namespace = type.namespaced() ? informer.namespace() : null;
            if (checked.add(type.apiVersion() + "/" + type.plural() + "@" + namespace)) {
                require(client, type, namespace);
            }
        }
    }

    static void require(KubeClient client, ResourceType<?> type, String namespace) {
        try {
            client.resources(type).list(namespace, ListOptions.all().withLimit(1));
        } catch (KubeApiException.NotFoundException e) {
            throw new KindNotServedException(type, isCustom(type), e.getMessage());
        } catch (RuntimeException e) {
            log.debug("could not check that {} is served ({}); the informer will report it", type.groupResource(),
                    e.toString());
        }
    }

    /**
     * Custom unless it is a kind Kardia knows as built-in or its group has no dot (core, apps,
     * batch...: a CRD's group must contain one).
     */
    private static boolean isCustom(ResourceType<?> type) {
        return type.group().contains(".") && ResourceTypes.byResource(type.group(), type.plural()).isEmpty();
    }
}
