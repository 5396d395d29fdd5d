package io.kardia.runtime.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.http.JettyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's admission webhooks and the HTTPS server that serves them (controller-runtime's
 * webhook server): {@link Validator}s and {@link Defaulter}s registered per kind, each on
 * kubebuilder's path ({@code /validate-<group>-<version>-<kind>}, {@code /mutate-...}, dots as
 * dashes), over TLS from {@link WebhookTls} (files reloaded when they change, or a self-signed
 * certificate). {@link #validatingConfiguration} and {@link #mutatingConfiguration} write the
 * matching webhook configuration manifests. Hand it to {@code Manager.builder(...).webhooks(...)},
 * which starts and stops it with the manager.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    /** One registered webhook: its kind, path, operations and handler. */
    record Registration(ResourceType<?> type, boolean mutating, String path, List<String> operations, AdmissionHandler handler) {
    }

    private final WebhookTls tls;
    private final InetSocketAddress address;
    private final List<Registration> registrations;
    /** The path conversions are served on (kubebuilder's). */
    public static final String CONVERT_PATH = "/convert";
    private final ConversionHandler conversions;
    private JettyServer server;

    private Webhooks(Builder b) {
        this.tls = b.tls != null ? b.tls : WebhookTls.selfSigned(List.of("127.0.0.1", "localhost"));
        this.address = b.address;
        this.registrations = List.copyOf(b.registrations.values());
        this.conversions = b.converters.isEmpty() ? null : new ConversionHandler(b.converters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; idempotent. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        // The SSLContext's key manager reads the certificate files again at the next handshake when they changed.
        JettyServer s = JettyServer.start(address, tls.sslContext(), false, this::dispatch, "webhook-");
        server = s;
        LOG.info("webhook server serving {} webhooks on https://{}:{}", registrations.size(), address.getHostString(), port());
    }

    /** The port served (after {@link #start()}). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the webhook server is not started");
        }
        return server.address().getPort();
    }

    public WebhookTls tls() {
        return tls;
    }

    /** The paths served, in registration order ({@link #CONVERT_PATH} last when converters are registered). */
    public List<String> paths() {
        List<String> paths = new ArrayList<>(registrations.stream().map(Registration::path).toList());
        if (conversions != null) {
            paths.add(CONVERT_PATH);
        }
        return paths;
    }

    /**
     * A ValidatingWebhookConfiguration named {@code name} for the registered validators, calling
     * them through {@code target}, with the TLS identity's caBundle (if known).
     */
    public ObjectNode validatingConfiguration(String name, Target target) {
        return configuration("ValidatingWebhookConfiguration", name, target, false);
    }

    /** A MutatingWebhookConfiguration named {@code name} for the registered defaulters. */
    public ObjectNode mutatingConfiguration(String name, Target target) {
        return configuration("MutatingWebhookConfiguration", name, target, true);
    }

    /** Where the API server reaches this server: a base URL, or a Service. */
    public sealed interface Target {
        /** {@code https://host:port}, the registered paths appended. */
        static Target url(String baseUrl) {
            return new Url(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        }

        /** A Service in front of the operator's pods. */
        static Target service(String namespace, String name, int port) {
            return new Service(namespace, name, port);
        }

        record Url(String base) implements Target {
        }

        record Service(String namespace, String name, int port) implements Target {
        }
    }

    private ObjectNode configuration(String kind, String name, Target target, boolean mutating) {
        ObjectNode c = Json.mapper().createObjectNode();
        c.put("apiVersion", "admissionregistration.k8s.io/v1");
        c.put("kind", kind);
        c.putObject("metadata").put("name", name);
        ArrayNode hooks = c.putArray("webhooks");
        for (Registration r : registrations) {
            if (r.mutating() != mutating) {
                continue;
            }
            ObjectNode w = hooks.addObject();
            w.put("name", webhookName(r));
            ObjectNode cc = w.putObject("clientConfig");
            switch (target) {
                case Target.Url u -> cc.put("url", u.base() + r.path());
                case Target.Service s -> cc.putObject("service").put("namespace", s.namespace()).put("name", s.name())
                        .put("port", s.port()).put("path", r.path());
            }
            tls.caBundle().ifPresent(ca -> cc.put("caBundle", ca));
            ObjectNode rule = w.putArray("rules").addObject();
            rule.putArray("apiGroups").add(r.type().group());
            rule.putArray("apiVersions").add(r.type().version());
            rule.putArray("resources").add(r.type().plural());
            ArrayNode ops = rule.putArray("operations");
            r.operations().forEach(ops::add);
            w.put("failurePolicy", "Fail");
            w.put("sideEffects", "None");
            w.putArray("admissionReviewVersions").add("v1");
        }
        return c;
    }

    /** kubebuilder-like names: {@code v<kind>.<group>} / {@code m<kind>.<group>}, made fully qualified when the group is short. */
    private static String webhookName(Registration r) {
        String group = r.type().group().isEmpty() ? "core" : r.type().group();
        String name = (r.mutating() ? "m" : "v") + r.type().kind().toLowerCase(Locale.ROOT) + "." + group;
        return name.split("\\.").length < 3 ? name + ".kardia.io" : name;
    }

    /**
     * A CRD's {@code spec.conversion} calling this server's converters through {@code target}
     * (strategy Webhook, v1 ConversionReviews, the caBundle when known).
     */
    public ObjectNode conversion(Target target) {
        ObjectNode conversion = Json.mapper().createObjectNode();
        conversion.put("strategy", "Webhook");
        ObjectNode webhook = conversion.putObject("webhook");
        webhook.putArray("conversionReviewVersions").add("v1");
        ObjectNode cc = webhook.putObject("clientConfig");
        switch (target) {
            case Target.Url u -> cc.put("url", u.base() + CONVERT_PATH);
            case Target.Service s -> cc.putObject("service").put("namespace", s.namespace()).put("name", s.name())
                    .put("port", s.port()).put("path", CONVERT_PATH);
        }
        tls.caBundle().ifPresent(ca -> cc.put("caBundle", ca));
        return conversion;
    }

    /** Routes by exact path: a registered webhook, the converters, else 404. */
    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (conversions != null && CONVERT_PATH.equals(path)) {
            serve(ex, "ConversionReview", conversions::handle);
            return;
        }
        for (Registration r : registrations) {
            if (r.path().equals(path)) {
                serve(ex, "AdmissionReview", r.handler()::handle);
                return;
            }
        }
        try (ex) {
            respond(ex, 404, "text/plain; charset=utf-8", ("no webhook is served on " + path + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void serve(HttpExchange ex, String kind, java.util.function.Function<JsonNode, ObjectNode> handler) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                respond(ex, 405, "text/plain; charset=utf-8", "only POST is allowed\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            JsonNode review;
            try {
                review = Json.mapper().readTree(ex.getRequestBody());
            } catch (IOException e) {
                respond(ex, 400, "text/plain; charset=utf-8", ("the body is not JSON: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (review == null || !kind.equals(review.path("kind").asText()) || !review.path("request").isObject()) {
                respond(ex, 400, "text/plain; charset=utf-8", ("expected a " + kind + " with a request\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            respond(ex, 200, "application/json", Json.toBytes(handler.apply(review)));
        }
    }

    private static void respond(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Registers webhooks and chooses the server's address and TLS identity. */
    public static final class Builder {
        private WebhookTls tls;
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private final Map<String, Registration> registrations = new LinkedHashMap<>();
        private final Map<String, Converter> converters = new LinkedHashMap<>();

        private Builder() {
        }

        /** The TLS identity (default: a self-signed certificate for 127.0.0.1 and localhost). */
        public Builder tls(WebhookTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Where to listen (default 127.0.0.1 on a free port; in a cluster, {@code new InetSocketAddress(9443)}). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Validates creates and updates of {@code type} (kubebuilder's default verbs). */
        public <T extends KubeObject> Builder validator(ResourceType<T> type, Validator<T> validator) {
            return validator(type, validator, "CREATE", "UPDATE");
        }

        /** Validates the given operations (CREATE, UPDATE, DELETE) of {@code type}. */
        public <T extends KubeObject> Builder validator(ResourceType<T> type, Validator<T> validator, String... operations) {
            return add(new Registration(type, false, path("/validate-", type), List.of(operations),
                    new AdmissionHandler.Validating<>(type, Objects.requireNonNull(validator, "validator"))));
        }

        /** Defaults creates and updates of {@code type}. */
        public <T extends KubeObject> Builder defaulter(ResourceType<T> type, Defaulter<T> defaulter) {
            return add(new Registration(type, true, path("/mutate-", type), List.of("CREATE", "UPDATE"),
                    new AdmissionHandler.Mutating<>(type, Objects.requireNonNull(defaulter, "defaulter"))));
        }

        /** Converts objects of kind {@code kind} in {@code group} between their versions, on {@link #CONVERT_PATH}. */
        public Builder converter(String group, String kind, Converter converter) {
            if (converters.putIfAbsent(ConversionHandler.key(group, kind), Objects.requireNonNull(converter, "converter")) != null) {
                throw new IllegalArgumentException("a converter is already registered for " + kind + "." + group);
            }
            return this;
        }

        public Webhooks build() {
            return new Webhooks(this);
        }

        private Builder add(Registration r) {
            if (registrations.putIfAbsent(r.path(), r) != null) {
                throw new IllegalArgumentException("a webhook is already registered on " + r.path());
            }
            return this;
        }

        private static String path(String prefix, ResourceType<?> type) {
            return prefix + (type.group().isEmpty() ? "core" : type.group().replace('.', '-')) + "-" + type.version() + "-"
                    + type.kind().toLowerCase(Locale.ROOT);
        }
    }

}
