package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kardia.core.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A real HTTPS admission webhook server for tests, on 127.0.0.1 and a random port: its own CA
 * (whose PEM is the configurations' caBundle), a server certificate for 127.0.0.1, localhost and
 * {@code hook.default.svc}; handlers by path answer AdmissionReviews, and every request received is kept.
 */
final class TestWebhookServer implements AutoCloseable {
    /** The service name its certificate is valid for. */
    static final String SERVICE_HOST = "hook.default.svc";

    private final HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("test-webhook-ca").build();
    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Function<JsonNode, String>> handlers = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();

    TestWebhookServer() throws IOException {
        HeldCertificate cert = new HeldCertificate.Builder().commonName("webhook")
                .addSubjectAlternativeName("127.0.0.1").addSubjectAlternativeName("localhost").addSubjectAlternativeName(SERVICE_HOST)
                .signedBy(ca).build();
        HandshakeCertificates certs = new HandshakeCertificates.Builder().heldCertificate(cert, ca.certificate()).build();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(certs.sslContext()));
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] in = exchange.getRequestBody().readAllBytes();
            JsonNode review = Json.mapper().readTree(in);
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(review);
            Function<JsonNode, String> h = handlers.get(path);
            byte[] out;
            int code = 200;
            try {
                out = (h == null ? allow().apply(review) : h.apply(review)).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                out = e.toString().getBytes(StandardCharsets.UTF_8);
                code = 500;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    /** The base64 PEM of the server's CA, as a configuration's caBundle. */
    String caBundle() {
        return Base64.getEncoder().encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    /** A CA bundle of some other CA: the server's certificate is not trusted with it. */
    static String otherCaBundle() {
        HeldCertificate other = new HeldCertificate.Builder().certificateAuthority(0).commonName("other-ca").build();
        return Base64.getEncoder().encodeToString(other.certificatePem().getBytes(StandardCharsets.US_ASCII));
    }

    void handle(String path, Function<JsonNode, String> handler) {
        handlers.put(path, handler);
    }

    /** The AdmissionReviews received on {@code path}, in order. */
    List<JsonNode> received(String path) {
        return new ArrayList<>(received.getOrDefault(path, List.of()));
    }

    /** Answers allowed. */
    static Function<JsonNode, String> allow() {
        return review -> answer(review, true, null, null);
    }

    /** An AdmissionReview response to {@code review}: allowed or not, an optional Status and JSON patch. */
    static String answer(JsonNode review, boolean allowed, ObjectNode status, String jsonPatch) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("apiVersion", "admission.k8s.io/v1");
        out.put("kind", "AdmissionReview");
        ObjectNode response = out.putObject("response");
        response.put("uid", review.path("request").path("uid").asText());
        response.put("allowed", allowed);
        if (status != null) {
            response.set("status", status);
        }
        if (jsonPatch != null) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)));
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
