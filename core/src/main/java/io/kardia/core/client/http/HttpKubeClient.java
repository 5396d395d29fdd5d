package io.kardia.core.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.ApiResource;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.InClusterConfig;
import io.kardia.core.config.KubeConfig;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KubeClient} over HTTP (OkHttp; HTTP/2 when the server offers it over TLS), speaking
 * kube-apiserver's REST dialect. One instance per API server: it owns the connection pool, the
 * client-side rate limiter (shared by all requests except watches) and the credentials.
 *
 * <pre>{@code
 * try (KubeClient client = HttpKubeClient.fromKubeConfig()) { ... }          // $KUBECONFIG or ~/.kube/config
 * KubeClient client = HttpKubeClient.inCluster();                             // in a pod
 * KubeClient client = HttpKubeClient.create(ClientConfig.builder("https://127.0.0.1:6443")
 *         .bearerToken(token).trustedCertificatesPem(caPem).build());
 * }</pre>
 */
public final class HttpKubeClient implements KubeClient {
    private static final Logger LOG = LoggerFactory.getLogger(HttpKubeClient.class);

    private final ClientConfig config;
    private final OkHttpClient http;
    private final ResourcePaths paths;
    private final TlsSetup.Tls tls;

    private HttpKubeClient(ClientConfig config) {
        this(config, "https".equals(HttpUrl.get(config.server().toString()).scheme()) ? TlsSetup.of(config) : null);
    }

    /** A client of {@code config} using {@code tls} (null for plain HTTP), possibly shared with another client. */
    private HttpKubeClient(ClientConfig config, TlsSetup.Tls tls) {
        this.config = config;
        this.tls = tls;
        HttpUrl base = HttpUrl.get(config.server().toString());
        this.paths = new ResourcePaths(base);
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .pingInterval(Duration.ofSeconds(30)) // HTTP/2: notices dead connections under idle watches
                .retryOnConnectionFailure(true);
        TokenBucket limiter = config.rateLimited() ? new TokenBucket(config.qps(), config.burst()) : null;
        builder.addInterceptor(new RequestPolicyInterceptor(limiter, config.maxRetries(), TimeUnit.NANOSECONDS::sleep));
        OkHttpClient[] self = new OkHttpClient[1];
        builder.addInterceptor(new AuthInterceptor(config.credentials(), () -> {
            if (self[0] != null) {
                self[0].connectionPool().evictAll();
            }
        }));
        builder.addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                .header("User-Agent", config.userAgent()).build()));
        if (tls != null) {
            tls.applyTo(builder);
        }
        this.http = builder.build();
        self[0] = http;
    }

    /**
     * A client for the same server and credentials with its own connections and its own rate
     * limiter: for a critical path (leader election renewals) that must never queue behind this
     * client's requests. It shares this client's TLS context (its sessions: its first handshake
     * resumes one). Close it separately.
     */
    public HttpKubeClient withOwnRateLimit(double qps, int burst) {
        return new HttpKubeClient(config.toBuilder().rateLimit(qps, burst).build(), tls);
    }

    /** A client for this configuration. */
    public static HttpKubeClient create(ClientConfig config) {
        return new HttpKubeClient(config);
    }

    /** The current context of {@code $KUBECONFIG} (several files merged) or {@code ~/.kube/config}. */
    public static HttpKubeClient fromKubeConfig() {
        return create(KubeConfig.load().toClientConfig());
    }

    /** A named context of {@code $KUBECONFIG} or {@code ~/.kube/config}. */
    public static HttpKubeClient fromKubeConfig(String context) {
        return create(KubeConfig.load().toClientConfig(context));
    }

    /** The current context of one kubeconfig file, e.g. the one {@code kardia up} writes. */
    public static HttpKubeClient fromKubeConfig(java.nio.file.Path file) {
        return create(KubeConfig.load(java.util.List.of(file)).toClientConfig());
    }

    /** The pod's service account and {@code KUBERNETES_SERVICE_HOST/PORT}. */
    public static HttpKubeClient inCluster() {
        return create(InClusterConfig.load());
    }

    /**
     * As controller-runtime chooses: {@code $KUBECONFIG} when set, else in-cluster when running
     * in a pod, else {@code ~/.kube/config}.
     */
    public static HttpKubeClient autoConfigure() {
        String env = System.getenv("KUBECONFIG");
        if ((env == null || env.isBlank()) && InClusterConfig.available()) {
            return inCluster();
        }
        return fromKubeConfig();
    }

    public ClientConfig config() {
        return config;
    }

    /**
     * The kubeconfig context's namespace ({@code default} when it names none; the pod's own
     * namespace in-cluster), for callers that default namespaces as kubectl does. The resource
     * clients never substitute it silently.
     */
    public String namespace() {
        return config.namespace();
    }

    @Override
    public <T extends KubeObject> ResourceClient<T> resources(ResourceType<T> type) {
        return new HttpResourceClient<>(this, type);
    }

    /** POST {@code /api/v1/namespaces/{ns}/pods/{name}/binding} with a v1 Binding naming the node. */
    @Override
    public void bindPod(String namespace, String podName, String nodeName) {
        HttpUrl url = paths.object(ResourceTypes.of(Pod.class), ResourcePaths.checkSegment(namespace, "namespace"), podName)
                .addPathSegment("binding").build();
        ObjectNode binding = Json.mapper().createObjectNode();
        binding.put("apiVersion", "v1").put("kind", "Binding");
        binding.putObject("metadata").put("name", podName).put("namespace", namespace);
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", nodeName);
        execute(new Request.Builder().url(url).header("Accept", "application/json")
                .post(RequestBody.create(Json.toBytes(binding), MediaType.get("application/json"))).build());
    }

    /** PUT {@code /api/v1/namespaces/{name}/finalize}. */
    @Override
    public Namespace finalizeNamespace(Namespace namespace) {
        String name = namespace.metadata().name();
        HttpUrl url = paths.object(ResourceTypes.NAMESPACE, null, name).addPathSegment("finalize").build();
        byte[] body = execute(new Request.Builder().url(url).header("Accept", "application/json")
                .put(RequestBody.create(Json.toBytes(namespace), MediaType.get("application/json"))).build());
        return Json.fromBytes(body, Namespace.class);
    }

    /**
     * Reads {@code /api/v1}, {@code /apis} and each group's preferred version. A group version
     * whose document fails is reported in {@link ServerResources#failedGroupVersions()}; failing
     * to read {@code /apis} itself throws.
     */
    @Override
    public ServerResources discoverResources() {
        List<ApiResource> found = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        readGroupVersion("", "v1", found, failed);
        JsonNode groups = Json.tree(execute(discoveryRequest(paths.base().newBuilder().addPathSegment("apis").build())));
        for (JsonNode g : groups.path("groups")) {
            String group = g.path("name").asText();
            String version = g.path("preferredVersion").path("version").asText("");
            if (version.isEmpty() && g.path("versions").size() > 0) {
                version = g.path("versions").get(0).path("version").asText();
            }
            if (!group.isEmpty() && !version.isEmpty()) {
                readGroupVersion(group, version, found, failed);
            }
        }
        return new ServerResources(found, failed);
    }

    private void readGroupVersion(String group, String version, List<ApiResource> found, Map<String, String> failed) {
        HttpUrl.Builder url = paths.base().newBuilder();
        if (group.isEmpty()) {
            url.addPathSegment("api").addPathSegment(version);
        } else {
            url.addPathSegment("apis").addPathSegment(group).addPathSegment(version);
        }
        JsonNode list;
        try {
            list = Json.tree(execute(discoveryRequest(url.build())));
        } catch (KubeApiException | KubeClientException e) {
            failed.put(group.isEmpty() ? version : group + "/" + version, e.getMessage());
            return;
        }
        for (JsonNode r : list.path("resources")) {
            String plural = r.path("name").asText("");
            String kind = r.path("kind").asText("");
            if (plural.isEmpty() || plural.contains("/") || kind.isEmpty()) {
                continue; // a subresource
            }
            Set<String> verbs = new HashSet<>();
            r.path("verbs").forEach(v -> verbs.add(v.asText()));
            found.add(new ApiResource(ResourceType.generic(group, version, kind, plural, r.path("namespaced").asBoolean()), verbs));
        }
    }

    private static Request discoveryRequest(HttpUrl url) {
        return new Request.Builder().url(url).header("Accept", "application/json").get().build();
    }

    ResourcePaths paths() {
        return paths;
    }

    /** Runs a request and returns its 2xx body; API errors become typed exceptions. */
    byte[] execute(Request request) {
        return fetch(request).body();
    }

    /** A 2xx answer: its body and its {@code Content-Type} (null when the server sent none). */
    record Answer(byte[] body, String contentType) {
    }

    /** As {@link #execute}, keeping the answer's content type (JSON or protobuf). */
    Answer fetch(Request request) {
        try (Response response = http.newCall(request).execute()) {
            byte[] body = response.body().bytes();
            LOG.debug("{} {} -> {}", request.method(), request.url().encodedPath(), response.code());
            if (!response.isSuccessful()) {
                throw ApiErrors.toException(response.code(), response.header("Content-Type"),
                        response.header("Retry-After"), body);
            }
            return new Answer(body, response.header("Content-Type"));
        } catch (CredentialsFailure e) {
            throw e.failure();
        } catch (IOException e) {
            throw transportFailure(request, e);
        }
    }

    /** Opens a watch stream; the read timeout bounds how long the connection may stay silent. */
    Response openStream(Request request, Duration readTimeout, Call[] callOut) {
        OkHttpClient watchClient = http.newBuilder().readTimeout(readTimeout).build();
        Call call = watchClient.newCall(request);
        callOut[0] = call;
        Response response;
        try {
            response = call.execute();
        } catch (CredentialsFailure e) {
            throw e.failure();
        } catch (IOException e) {
            throw transportFailure(request, e);
        }
        LOG.debug("{} {} -> {} (watch)", request.method(), request.url().encodedPath(), response.code());
        if (!response.isSuccessful()) {
            try (response) {
                byte[] body = response.body().bytes();
                throw ApiErrors.toException(response.code(), response.header("Content-Type"),
                        response.header("Retry-After"), body);
            } catch (IOException e) {
                throw transportFailure(request, e);
            }
        }
        return response;
    }

    private KubeClientException transportFailure(Request request, IOException e) {
        // URL path only: the query may hold selectors, never credentials, but keep messages short.
        String what = request.method() + " " + request.url().scheme() + "://" + request.url().host() + ":"
                + request.url().port() + request.url().encodedPath();
        return new KubeClientException(what + " failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    /** Connections in the pool, in use or idle: how tests see that a call gave its connection back. */
    int pooledConnections() {
        return http.connectionPool().connectionCount();
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "HttpKubeClient[" + config + "]";
    }
}
