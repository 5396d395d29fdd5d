package io.kardia.runtime.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.Manager;
import io.kardia.runtime.ManagerBuilder;
import io.kardia.store.ReferenceStore;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.KubeconfigWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A reference store for one test (optionally served over HTTP), a client for it, and the
 * managers the test starts; {@link #close()} stops them all. {@link KardiaTest} makes one per test.
 */
public final class TestEnvironment implements AutoCloseable {
    private final ReferenceStore store;
    private final ApiServer server;
    private final KubeClient client;
    private final String token;
    private final List<KubeClient> extraClients = new ArrayList<>();
    private final List<Manager> managers = new ArrayList<>();
    private Duration timeout = Eventually.DEFAULT_TIMEOUT;
    private boolean closed;

    private TestEnvironment(ReferenceStore store, ApiServer server, KubeClient client, String token) {
        this.store = store;
        this.server = server;
        this.client = client;
        this.token = token;
    }

    /** An in-process store; with {@code http}, also served on a free local port with an HTTP client. */
    public static TestEnvironment start(boolean http) {
        return start(http, false);
    }

    /**
     * As {@link #start(boolean)}; with {@code rbac} (which implies {@code http}) requests are
     * authorized by RBAC. The environment's own client is in {@code system:masters} either way.
     */
    public static TestEnvironment start(boolean http, boolean rbac) {
        ReferenceStore store = ReferenceStore.inMemory();
        if (!http && !rbac) {
            return new TestEnvironment(store, null, store.client(), null);
        }
        String token = UUID.randomUUID().toString();
        try {
            ApiSecurity security = ApiSecurity.adminTokenOnly(token)
                    .withAuthorization(rbac ? ApiSecurity.AuthorizationMode.RBAC : ApiSecurity.AuthorizationMode.ALWAYS_ALLOW);
            ApiServer server = ApiServer.start(store, "127.0.0.1", 0, null, security);
            KubeClient client = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(token).noRateLimit().build());
            return new TestEnvironment(store, server, client, token);
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("could not serve the reference store over HTTP for the test", e);
        }
    }

    public ReferenceStore store() {
        return store;
    }

    /** The client tests and managers use (HTTP when the environment serves HTTP). */
    public KubeClient client() {
        return client;
    }

    /** A second, independent client to the same store (e.g. one per manager, like separate processes); closed with the environment. */
    public KubeClient newClient() {
        KubeClient c = server == null ? store.client()
                : HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(token).noRateLimit().build());
        synchronized (extraClients) {
            extraClients.add(c);
        }
        return c;
    }

    /**
     * A client that authenticates as ServiceAccount {@code namespace/name} (created if it does not
     * exist), with a token from the server's TokenRequest issuer: it may do what RBAC grants that
     * account, nothing more (with {@link KardiaTest#rbac()}). Closed with the environment.
     */
    public KubeClient serviceAccountClient(String namespace, String name) {
        if (server == null) {
            throw new IllegalStateException("a ServiceAccount client needs the store served over HTTP: use "
                    + "@KardiaTest(rbac = true) (or http = true)");
        }
        ensureServiceAccount(namespace, name);
        String saToken = server.serviceAccountTokens().issue(namespace, name, List.of(), TimeUnit.DAYS.toSeconds(1), null).token();
        KubeClient c = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(saToken).noRateLimit().build());
        synchronized (extraClients) {
            extraClients.add(c);
        }
        return c;
    }

    /**
     * A manager that runs as ServiceAccount {@code namespace/name} (see {@link #serviceAccountClient}):
     * with {@link KardiaTest#rbac()}, a controller that lacks a permission fails as it would on a
     * cluster, with kube's 403 ("... is forbidden: User "system:serviceaccount:ns:name" cannot list
     * resource ..."), e.g. in the cache sync error of {@link Manager#start()}.
     */
    public Manager startManagerAs(String namespace, String serviceAccount, Consumer<Manager> setup) throws InterruptedException {
        return startManager(Manager.builder(serviceAccountClient(namespace, serviceAccount)).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), setup);
    }

    /**
     * Creates the objects of a YAML manifest (one or more documents, of any served kind: Roles,
     * ClusterRoles, bindings, CRDs...) as the administrator, as {@code kubectl create -f} would.
     */
    public void apply(String yaml) {
        for (JsonNode doc : Yaml.trees(yaml)) {
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!(doc instanceof ObjectNode obj)) {
                throw new IllegalArgumentException("a manifest document is not an object: " + doc);
            }
            String apiVersion = obj.path("apiVersion").asText();
            String kind = obj.path("kind").asText();
            ResourceType<?> type = store.types().byKind(apiVersion, kind).orElseThrow(() -> new IllegalArgumentException(
                    "the store serves no kind " + kind + " in " + apiVersion));
            String ns = obj.path("metadata").path("namespace").asText("");
            store.create(type, type.namespaced() ? (ns.isEmpty() ? "default" : ns) : null, obj, WriteOptions.DEFAULT);
        }
    }

    private void ensureServiceAccount(String namespace, String name) {
        ResourceType<?> sa = store.types().find("", "v1", "serviceaccounts").orElseThrow();
        ObjectNode o = Json.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "ServiceAccount");
        o.putObject("metadata").put("name", name).put("namespace", namespace);
        try {
            store.create(sa, namespace, o, WriteOptions.DEFAULT);
        } catch (KubeApiException.AlreadyExistsException exists) {
            // a ServiceAccount the test made itself: use it
        }
    }

    /**
     * Has the store call {@code webhooks} as a cluster would: starts their server (if the manager
     * has not yet) and creates a ValidatingWebhookConfiguration and a MutatingWebhookConfiguration
     * named {@code name} pointing at it ({@code https://127.0.0.1:<port>/...}, trusted through the
     * server's caBundle). Writes of the registered kinds then go through the operator's
     * validators and defaulters, over both transports.
     */
    public void installWebhooks(String name, io.kardia.runtime.webhook.Webhooks webhooks) {
        try {
            webhooks.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not start the webhook server", e);
        }
        io.kardia.runtime.webhook.Webhooks.Target target =
                io.kardia.runtime.webhook.Webhooks.Target.url("https://127.0.0.1:" + webhooks.port());
        for (ObjectNode config : List.of(webhooks.validatingConfiguration(name, target), webhooks.mutatingConfiguration(name, target))) {
            if (!config.path("webhooks").isEmpty()) {
                ResourceType<?> type = store.types().byKind(config.path("apiVersion").asText(), config.path("kind").asText()).orElseThrow();
                store.create(type, null, config, WriteOptions.DEFAULT);
            }
        }
    }

    /**
     * Has the store convert the objects of CRD {@code crdName} through the converters of
     * {@code webhooks}: starts their server (if not yet) and sets the stored CRD's
     * {@code spec.conversion} to strategy Webhook at {@code https://127.0.0.1:<port>/convert}
     * (replacing a service reference, such as the one {@code @ConversionWebhook} generates).
     */
    public void installConversion(String crdName, io.kardia.runtime.webhook.Webhooks webhooks) {
        try {
            webhooks.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not start the webhook server", e);
        }
        ObjectNode conversion = webhooks.conversion(io.kardia.runtime.webhook.Webhooks.Target.url("https://127.0.0.1:" + webhooks.port()));
        // A merge patch: a generated CRD's service reference must go, or the CRD would name both (refused).
        ((ObjectNode) conversion.path("webhook").path("clientConfig")).putNull("service");
        ObjectNode patch = Json.mapper().createObjectNode();
        patch.putObject("spec").set("conversion", conversion);
        ResourceType<?> crds = store.types().byGroupResource("customresourcedefinitions.apiextensions.k8s.io").orElseThrow();
        store.patch(crds, null, crdName, io.kardia.core.client.PatchType.MERGE, Json.toBytes(patch), WriteOptions.DEFAULT);
    }

    /**
     * Writes a kubeconfig for the store served over HTTP: as the administrator, or, with a
     * {@code serviceAccount} ({@code namespace/name}, created if missing), as that ServiceAccount,
     * so a program started with it (an operator's {@code main}) may do only what RBAC grants it.
     */
    public Path writeKubeconfig(Path file, String serviceAccountNamespace, String serviceAccount) {
        if (server == null) {
            throw new IllegalStateException("a kubeconfig needs the store served over HTTP: use @KardiaTest(http = true)"
                    + " or TestEnvironment.start(true)");
        }
        try {
            if (serviceAccount == null) {
                KubeconfigWriter.write(file, server.url(), token, null);
            } else {
                ensureServiceAccount(serviceAccountNamespace, serviceAccount);
                String saToken = server.serviceAccountTokens().issue(serviceAccountNamespace, serviceAccount, List.of(),
                        TimeUnit.DAYS.toSeconds(1), null).token();
                KubeconfigWriter.writeForToken(file, server.url(), null,
                        "system:serviceaccount:" + serviceAccountNamespace + ":" + serviceAccount, saToken);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the kubeconfig " + file, e);
        }
        return file;
    }

    /** {@link #writeKubeconfig(Path, String, String)} as the administrator. */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, null, null);
    }

    /** The API server's URL, when serving HTTP. */
    public Optional<String> apiServerUrl() {
        return server == null ? Optional.empty() : Optional.of(server.url());
    }

    /** Changes the timeout of the await helpers (default 10 s). */
    public TestEnvironment awaitTimeout(Duration newTimeout) {
        this.timeout = newTimeout;
        return this;
    }

    public <T extends KubeObject> ResourceClient<T> resources(Class<T> type) {
        return client.resources(type);
    }

    /** Creates a namespace (objects can only be created in existing ones). */
    public Namespace createNamespace(String name) {
        return client.resources(Namespace.class).create(Namespace.named(name));
    }

    /**
     * A manager on this environment's client with test-friendly timeouts: {@code setup} declares its
     * controllers, then it is started (caches synced) and closed after the test.
     */
    public Manager startManager(Consumer<Manager> setup) throws InterruptedException {
        return startManager(Manager.builder(client).cacheSyncTimeout(Duration.ofSeconds(10))
                .gracefulShutdownTimeout(Duration.ofSeconds(5)), setup);
    }

    /** {@link #startManager(Consumer)} with a builder the test configured (leader election, HTTP port...), used as is. */
    public Manager startManager(ManagerBuilder builder, Consumer<Manager> setup) throws InterruptedException {
        Manager manager = builder.build();
        synchronized (managers) {
            managers.add(manager);
        }
        setup.accept(manager);
        manager.start();
        return manager;
    }

    /** Waits until the object exists and satisfies {@code condition}; fails showing the last state seen. */
    public <T extends KubeObject> T awaitObject(Class<T> type, String namespace, String name, Predicate<? super T> condition) {
        return awaitObject(ResourceTypes.of(type), namespace, name, condition);
    }

    public <T extends KubeObject> T awaitObject(ResourceType<T> type, String namespace, String name,
                                                Predicate<? super T> condition) {
        ResourceClient<T> rc = client.resources(type);
        return Eventually.eventually(timeout, type.kind() + " " + key(namespace, name) + " to match the expected state",
                () -> rc.find(namespace, name), o -> o.isPresent() && condition.test(o.get())).orElseThrow();
    }

    /** Waits until the object is gone; fails showing it as last seen. */
    public <T extends KubeObject> void awaitAbsent(Class<T> type, String namespace, String name) {
        awaitAbsent(ResourceTypes.of(type), namespace, name);
    }

    /** {@link #awaitAbsent(Class, String, String)} for a kind described by its type, e.g. {@code ResourceTypes.JOB}. */
    public <T extends KubeObject> void awaitAbsent(ResourceType<T> type, String namespace, String name) {
        ResourceClient<T> rc = client.resources(type);
        Eventually.eventually(timeout, type.kind() + " " + key(namespace, name) + " to be deleted",
                () -> rc.find(namespace, name), Optional::isEmpty);
    }

    private static String key(String namespace, String name) {
        return namespace == null ? name : namespace + "/" + name;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Manager> toClose;
        synchronized (managers) {
            toClose = new ArrayList<>(managers);
        }
        toClose.forEach(Manager::close);
        synchronized (extraClients) {
            extraClients.forEach(KubeClient::close);
        }
        client.close();
        if (server != null) {
            server.close();
        }
        store.close();
    }
}
