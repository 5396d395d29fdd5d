package io.kardia.operators.scheduler;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClientException;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.config.Credentials;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * POSTs {@code pods/{name}/binding} to an API server over HTTP(S), with the server, CA and bearer
 * token of a {@link ClientConfig} (client-certificate credentials are not supported here).
 */
public final class HttpPodBinder implements PodBinder {
    private final ClientConfig config;
    private final HttpClient http;

    public HttpPodBinder(ClientConfig config) {
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.connectTimeout());
        if (!config.trustedCertificates().isEmpty()) {
            b.sslContext(trusting(config));
        }
        this.http = b.build();
    }

    private static SSLContext trusting(ClientConfig config) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : config.trustedCertificates()) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot trust the kubeconfig's CA certificates: " + e.getMessage(), e);
        }
    }

    @Override
    public void bind(String namespace, String podName, String nodeName) {
        String base = config.server().toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/api/v1/namespaces/" + enc(namespace) + "/pods/" + enc(podName) + "/binding");
        Map<String, Object> binding = Map.of("apiVersion", "v1", "kind", "Binding",
                "metadata", Map.of("name", podName, "namespace", namespace),
                "target", Map.of("apiVersion", "v1", "kind", "Node", "name", nodeName));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(binding)));
        Credentials creds = config.credentials() == null ? Credentials.NONE : config.credentials().current();
        if (creds.bearerToken() != null) {
            req.header("Authorization", "Bearer " + creds.bearerToken());
        }
        HttpResponse<byte[]> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new KubeClientException("binding " + namespace + "/" + podName + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeClientException("interrupted while binding " + namespace + "/" + podName, e);
        }
        if (resp.statusCode() / 100 == 2) {
            return;
        }
        Status status;
        try {
            status = Json.fromBytes(resp.body(), Status.class);
        } catch (RuntimeException e) {
            throw new KubeClientException("binding " + namespace + "/" + podName + " failed with HTTP "
                    + resp.statusCode() + " and an unreadable body", e);
        }
        throw KubeApiException.of(status);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
