package io.kardia.store.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends AdmissionReviews to webhooks over HTTPS with OkHttp: trusting only the configuration's
 * {@code caBundle} (the JVM's trust roots when there is none, as kube-apiserver uses the system's),
 * checking the certificate against the URL's host or the service's {@code <name>.<namespace>.svc},
 * within the webhook's {@code timeoutSeconds} for the whole call, never retried or redirected.
 * One client per webhook (its trust and timeout), sharing one connection pool.
 */
final class WebhookCaller implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    /**
     * The most of a webhook's answer read into memory. An answer holds one object (a conversion)
     * or one object's patch, each far below this; a webhook that streams more is a failure that
     * failurePolicy decides, not a way to exhaust the store's heap within its timeout.
     */
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final WebhookServices services;
    /**
     * The client every webhook's client derives from, built at the first call: building it reads the
     * JVM's trust store, a cost every store start paid (each simulated store restart too), though
     * most stores never call a webhook.
     */
    private OkHttpClient base;
    /** Clients by webhook: a configuration's webhooks are replaced (with new clients) when it is written again. */
    private final Map<Webhook, OkHttpClient> clients = new ConcurrentHashMap<>();

    WebhookCaller(WebhookServices services) {
        this.services = services;
    }

    /**
     * Posts {@code review} to {@code hook}.
     *
     * @return the response body of an HTTP 200 answer
     * @throws WebhookCallException when the webhook cannot be reached, is not trusted, times out or does not answer 200
     */
    byte[] call(Webhook hook, ObjectNode review) throws WebhookCallException {
        HttpUrl url = url(hook);
        OkHttpClient client = clients.computeIfAbsent(hook, this::newClient);
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(review);
        } catch (IOException e) {
            throw new WebhookCallException("failed to encode the AdmissionReview: " + e.getMessage(), e);
        }
        Request request = new Request.Builder().url(url).post(RequestBody.create(body, JSON)).header("Accept", "application/json").build();
        String post = "Post \"" + url + "\": ";
        try (Response response = client.newCall(request).execute()) {
            okio.BufferedSource source = response.body().source();
            if (source.request(MAX_RESPONSE_BYTES + 1)) {
                throw new WebhookCallException("failed to call webhook: " + post + "the response is larger than "
                        + MAX_RESPONSE_BYTES / (1024 * 1024) + " MiB");
            }
            byte[] answer = source.readByteArray();
            if (response.code() != 200) {
                throw new WebhookCallException("failed to call webhook: an error on the server (\"" + snippet(answer)
                        + "\") has prevented the request from succeeding (HTTP " + response.code() + ")");
            }
            return answer;
        } catch (InterruptedIOException e) {
            throw new WebhookCallException("failed to call webhook: " + post + "context deadline exceeded", e);
        } catch (IOException e) {
            throw new WebhookCallException("failed to call webhook: " + post + describe(e), e);
        } catch (IllegalStateException e) {
            // a client that could not be built (a caBundle without certificates)
            throw new WebhookCallException("failed to call webhook: " + e.getMessage(), e);
        }
    }

    /** Drops the clients of webhooks no longer configured. */
    void retain(Collection<Webhook> live) {
        clients.keySet().retainAll(live);
    }

    @Override
    public synchronized void close() {
        clients.clear();
        if (base != null) {
            base.connectionPool().evictAll();
            base.dispatcher().executorService().shutdown();
        }
    }

    private synchronized OkHttpClient base() {
        if (base == null) {
            base = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(8, 1, java.util.concurrent.TimeUnit.MINUTES))
                    .retryOnConnectionFailure(false)
                    .followRedirects(false)
                    .followSslRedirects(false)
                    .build();
        }
        return base;
    }

    private HttpUrl url(Webhook hook) throws WebhookCallException {
        Webhook.Target t = hook.target;
        HttpUrl url;
        if (t.isService()) {
            HttpUrl.Builder b = new HttpUrl.Builder().scheme("https").host(t.serviceHost())
                    .encodedPath(t.path().isEmpty() ? "/" : t.path().startsWith("/") ? t.path() : "/" + t.path());
            InetSocketAddress to;
            try {
                to = services.resolve(t.serviceNamespace(), t.serviceName(), t.servicePort());
            } catch (WebhookCallException e) {
                HttpUrl asNamed = b.port(t.servicePort()).addQueryParameter("timeout", hook.timeoutSeconds + "s").build();
                throw new WebhookCallException("failed to call webhook: Post \"" + asNamed + "\": " + e.getMessage(), e);
            }
            url = b.port(to.getPort()).build();
        } else {
            url = HttpUrl.parse(t.url());
            if (url == null || !url.isHttps()) {
                throw new WebhookCallException("failed to call webhook: clientConfig.url must be an https URL: " + t.url());
            }
        }
        // kube-apiserver tells the webhook how long it has, as a query parameter
        return url.newBuilder().addQueryParameter("timeout", hook.timeoutSeconds + "s").build();
    }

    private OkHttpClient newClient(Webhook hook) {
        Duration timeout = Duration.ofSeconds(hook.timeoutSeconds);
        OkHttpClient.Builder b = base().newBuilder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout);
        if (hook.caBundle != null) {
            X509TrustManager trust = trustOnly(hook.caBundle);
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {trust}, null);
                b.sslSocketFactory(ssl.getSocketFactory(), trust);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS setup failed: " + e.getMessage(), e);
            }
        }
        Webhook.Target t = hook.target;
        if (t.isService()) {
            String host = t.serviceHost();
            b.dns(new Dns() {
                @Override
                public List<InetAddress> lookup(String hostname) throws java.net.UnknownHostException {
                    if (!hostname.equalsIgnoreCase(host)) {
                        return Dns.SYSTEM.lookup(hostname);
                    }
                    try {
                        InetSocketAddress a = services.resolve(t.serviceNamespace(), t.serviceName(), t.servicePort());
                        return a.isUnresolved() ? Dns.SYSTEM.lookup(a.getHostString()) : List.of(a.getAddress());
                    } catch (WebhookCallException e) {
                        throw new java.net.UnknownHostException(e.getMessage());
                    }
                }
            });
        }
        return b.build();
    }

    /** A trust manager that trusts exactly the PEM certificates of {@code caBundle}. */
    private static X509TrustManager trustOnly(byte[] caBundle) {
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(caBundle));
            if (certs.isEmpty()) {
                throw new IllegalStateException("clientConfig.caBundle holds no PEM certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("clientConfig.caBundle is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof javax.net.ssl.SSLException) {
            return "tls: " + (m == null ? e.getClass().getSimpleName() : m);
        }
        if (e instanceof java.net.ConnectException) {
            return "dial tcp: connect: connection refused";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static String snippet(byte[] body) {
        String s = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
