package io.kardia.benchmarks.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An in-memory reference store served over plain HTTP on loopback, plus the pieces every HTTP
 * benchmark needs: a namespace, pods to load, and requests carrying the token.
 */
final class HttpBenchServer implements AutoCloseable {
    static final String NAMESPACE = "bench";

    final ReferenceStore store;
    final ApiServer server;
    final String token = BearerTokenAuthenticator.newToken();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    HttpBenchServer() {
        // big watch buffers: a benchmark must measure delivery, not cut slow watchers off
        store = ReferenceStore.inMemory(StoreOptions.defaults().withWatchBufferSize(1_000_000));
        try {
            server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.create(ResourceTypes.NAMESPACE, null, tree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + NAMESPACE + "\"}}"), null);
    }

    /** Loads pods straight into the store (setup speed; the benchmark then reads them over HTTP). */
    void loadPods(int count, String prefix) {
        for (int i = 0; i < count; i++) {
            store.create(ResourceTypes.POD, NAMESPACE, tree(pod(prefix + i)), null);
        }
    }

    String url(String path) {
        return server.url() + path;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofMinutes(5));
    }

    static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A pod of about 1.3 KB of JSON, shaped like a Deployment's pod. */
    static String pod(String name) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"web","pod-template-hash":"7d9f8b6c5","tier":"frontend"},
                 "annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"9090"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d9f8b6c5","uid":"5f0c7f6e-8a3b-4c1d-9e2f-0a1b2c3d4e5f","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{"containers":[{"name":"app","image":"registry.example.com/shop/web:3.14.2","imagePullPolicy":"IfNotPresent",
                   "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
                   "env":[{"name":"MODE","value":"production"},{"name":"LOG_LEVEL","value":"info"}],
                   "resources":{"requests":{"cpu":"250m","memory":"256Mi"},"limits":{"cpu":"1","memory":"512Mi"}},
                   "readinessProbe":{"httpGet":{"path":"/ready","port":8080},"periodSeconds":5}}],
                  "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default"}}"""
                .formatted(name);
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
