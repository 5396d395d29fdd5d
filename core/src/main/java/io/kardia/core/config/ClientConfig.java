package io.kardia.core.config;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything an HTTP client needs to reach one API server: where it is, how to trust it, how to
 * authenticate, and how politely to talk to it. Build one with {@link #builder(String)}, from a
 * kubeconfig ({@link KubeConfig#toClientConfig()}) or in-cluster ({@link InClusterConfig#load()}).
 * {@link #toString()} shows no credential.
 *
 * @param server                 base URL, e.g. {@code https://127.0.0.1:6443} (may carry a path prefix)
 * @param namespace              the context's namespace, for callers that default as kubectl does
 * @param trustedCertificates    the CAs to trust exclusively (as kubectl does); empty for the JVM's
 * @param insecureSkipTlsVerify  trust any server certificate and host name (tests only!)
 * @param tlsServerName          name to send as SNI and to verify the server certificate against,
 *                               instead of the server URL's host (kubeconfig {@code tls-server-name}); or null
 * @param credentials            bearer tokens and/or client certificates
 * @param qps                    sustained request rate of the client-side limiter; {@code <= 0} disables it
 * @param burst                  requests allowed at once above the sustained rate
 * @param connectTimeout         TCP + TLS connect timeout
 * @param requestTimeout         read timeout of ordinary (non-watch) requests
 * @param defaultWatchTimeout    {@code timeoutSeconds} sent when a watch asks for none, so every
 *                               watch ends and is re-established periodically (client-go does the same)
 * @param watchReadMargin        a watch's read timeout is its timeoutSeconds plus this margin:
 *                               silence longer than that means a dead connection
 * @param maxRetries             retries after 429 (and GET 5xx with Retry-After) before giving up
 * @param userAgent              the User-Agent header
 * @param protobuf               ask for {@code application/vnd.kubernetes.protobuf} (JSON as the fallback) when
 *                               reading and watching built-in kinds, as client-go does; custom resources are JSON always
 */
public record ClientConfig(URI server, String namespace, List<X509Certificate> trustedCertificates,
                           boolean insecureSkipTlsVerify, String tlsServerName, CredentialSource credentials, double qps, int burst,
                           Duration connectTimeout, Duration requestTimeout, Duration defaultWatchTimeout,
                           Duration watchReadMargin, int maxRetries, String userAgent, boolean protobuf) {

    public static final double DEFAULT_QPS = 50;
    public static final int DEFAULT_BURST = 100;

    public ClientConfig {
        Objects.requireNonNull(server, "server");
        String scheme = server.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || server.getHost() == null) {
            throw new KubeConfigException("server \"" + server + "\" is not an http(s) URL with a host");
        }
        namespace = namespace == null || namespace.isEmpty() ? "default" : namespace;
        trustedCertificates = trustedCertificates == null ? List.of() : List.copyOf(trustedCertificates);
        tlsServerName = tlsServerName == null || tlsServerName.isBlank() ? null : tlsServerName.strip();
        credentials = credentials == null ? CredentialSource.of(Credentials.NONE) : credentials;
        if (qps > 0 && burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1 when qps > 0, got " + burst);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(60) : requestTimeout;
        defaultWatchTimeout = defaultWatchTimeout == null ? Duration.ofMinutes(5) : defaultWatchTimeout;
        watchReadMargin = watchReadMargin == null ? Duration.ofSeconds(30) : watchReadMargin;
        userAgent = userAgent == null ? "kardia/0.1" : userAgent;
    }

    public static Builder builder(String server) {
        return new Builder(URI.create(server));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean rateLimited() {
        return qps > 0;
    }

    @Override
    public String toString() {
        return "ClientConfig[server=" + server + ", namespace=" + namespace + ", trustedCertificates="
                + trustedCertificates.size() + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify
                + (tlsServerName == null ? "" : ", tlsServerName=" + tlsServerName) + ", credentials="
                + credentials + ", qps=" + qps + ", burst=" + burst + "]";
    }

    /** Mutable builder; defaults: QPS 50, burst 100, 10 s connect, 60 s read, 5 min watches, 5 retries. */
    public static final class Builder {
        private URI server;
        private String namespace;
        private List<X509Certificate> trustedCertificates = List.of();
        private boolean insecureSkipTlsVerify;
        private String tlsServerName;
        private CredentialSource credentials;
        private double qps = DEFAULT_QPS;
        private int burst = DEFAULT_BURST;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private Duration defaultWatchTimeout;
        private Duration watchReadMargin;
        private int maxRetries = 5;
        private String userAgent;
        private boolean protobuf;

        private Builder(URI server) {
            this.server = server;
        }

        private Builder(ClientConfig c) {
            server = c.server;
            namespace = c.namespace;
            trustedCertificates = c.trustedCertificates;
            insecureSkipTlsVerify = c.insecureSkipTlsVerify;
            tlsServerName = c.tlsServerName;
            credentials = c.credentials;
            qps = c.qps;
            burst = c.burst;
            connectTimeout = c.connectTimeout;
            requestTimeout = c.requestTimeout;
            defaultWatchTimeout = c.defaultWatchTimeout;
            watchReadMargin = c.watchReadMargin;
            maxRetries = c.maxRetries;
            userAgent = c.userAgent;
            protobuf = c.protobuf;
        }

        public Builder server(URI value) {
            server = value;
            return this;
        }

        public Builder namespace(String value) {
            namespace = value;
            return this;
        }

        public Builder trustedCertificates(List<X509Certificate> value) {
            trustedCertificates = value;
            return this;
        }

        /** Trusts the CA certificates in this PEM text (kubeconfig's certificate-authority-data, decoded). */
        public Builder trustedCertificatesPem(String pem) {
            trustedCertificates = Pem.certificates(pem);
            return this;
        }

        public Builder insecureSkipTlsVerify(boolean value) {
            insecureSkipTlsVerify = value;
            return this;
        }

        public Builder tlsServerName(String value) {
            tlsServerName = value;
            return this;
        }

        public Builder credentials(CredentialSource value) {
            credentials = value;
            return this;
        }

        public Builder bearerToken(String token) {
            credentials = CredentialSource.of(Credentials.token(token));
            return this;
        }

        public Builder clientCertificate(ClientCertificate certificate) {
            credentials = CredentialSource.of(new Credentials(null, certificate, null));
            return this;
        }

        /** Client-side limit: {@code qps} sustained, {@code burst} at once. */
        public Builder rateLimit(double newQps, int newBurst) {
            qps = newQps;
            burst = newBurst;
            return this;
        }

        public Builder noRateLimit() {
            qps = 0;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder defaultWatchTimeout(Duration value) {
            defaultWatchTimeout = value;
            return this;
        }

        public Builder watchReadMargin(Duration value) {
            watchReadMargin = value;
            return this;
        }

        public Builder maxRetries(int value) {
            maxRetries = value;
            return this;
        }

        public Builder userAgent(String value) {
            userAgent = value;
            return this;
        }

        /**
         * Reads built-in kinds as protobuf (default false: JSON). Off by default because on the JVM
         * reading protobuf costs more than reading JSON (the client turns it into JSON for Jackson):
         * a 1,000-pod list decodes in 14.5 ms vs 8.8 ms, an informer syncs 10,000 pods in 451 ms vs
         * 314 ms (benchmarks/README.md). Turn it on to spare a real kube-apiserver's CPU, which
         * encodes protobuf more cheaply than JSON.
         */
        public Builder protobuf(boolean value) {
            protobuf = value;
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(server, namespace, trustedCertificates, insecureSkipTlsVerify, tlsServerName, credentials, qps,
                    burst, connectTimeout, requestTimeout, defaultWatchTimeout, watchReadMargin, maxRetries, userAgent, protobuf);
        }
    }
}
