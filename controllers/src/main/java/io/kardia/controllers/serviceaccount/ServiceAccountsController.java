package io.kardia.controllers.serviceaccount;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.TypedReconciler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's {@code serviceaccount} controller: every active namespace has a
 * ServiceAccount named {@code default}, created with the namespace and recreated when deleted.
 * A terminating namespace is left alone (nothing may be created in it).
 */
public final class ServiceAccountsController implements TypedReconciler<Namespace> {
    private static final Logger log = LoggerFactory.getLogger(ServiceAccountsController.class);
    public static final String NAME = "serviceaccount-controller";
    public static final String DEFAULT = "default";

    private final ResourceClient<GenericObject> accounts;
    private final SharedInformer<GenericObject> accountCache;

    private ServiceAccountsController(Manager manager) {
        this.accounts = manager.apiClient().resources(ResourceTypes.SERVICE_ACCOUNT);
        this.accountCache = manager.informers().informerFor(ResourceTypes.SERVICE_ACCOUNT, manager.namespace(),
                Selector.EVERYTHING);
    }

    public static void register(Manager manager) {
        manager.newController().forKind(Namespace.class).named(NAME)
                .watches(ResourceTypes.SERVICE_ACCOUNT, sa -> DEFAULT.equals(sa.metadata().name())
                        ? List.of(new Request(null, sa.metadata().namespace())) : List.of())
                .complete(new ServiceAccountsController(manager));
    }

    @Override
    public Result reconcile(Namespace namespace) {
        String ns = namespace.metadata().name();
        if (namespace.metadata().deletionTimestamp() != null || accountCache.lister().get(ns + "/" + DEFAULT).isPresent()) {
            return Result.done();
        }
        try {
            accounts.create(GenericObject.of(ResourceTypes.SERVICE_ACCOUNT, ObjectMeta.of(ns, DEFAULT)));
            log.info("created ServiceAccount {}/{}", ns, DEFAULT);
        } catch (KubeApiException.AlreadyExistsException cacheBehind) {
            // the cache had not seen it yet
        } catch (KubeApiException.ForbiddenException terminating) {
            // the namespace started terminating meanwhile: nothing may be created in it
            log.debug("namespace {} refused its default ServiceAccount: {}", ns, terminating.getMessage());
        }
        return Result.done();
    }
}
