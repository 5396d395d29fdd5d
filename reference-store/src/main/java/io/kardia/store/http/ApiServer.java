package io.kardia.store.http;

import io.kardia.http.JettyServer;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.CodecException;
import io.kardia.core.model.Status;
import io.kardia.store.ReferenceStore;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.auth.Authorizer;
import io.kardia.store.auth.Forbidden;
import io.kardia.store.auth.Impersonation;
import io.kardia.store.auth.RequestAttributes;
import io.kardia.store.auth.RequestAttributesResolver;
import io.kardia.store.auth.ServerAuth;
import io.kardia.store.auth.UserInfo;
import com.google.common.base.Suppliers;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link ReferenceStore} over the Kubernetes REST dialect, so kubectl and any
 * Kubernetes client library can use it. Requests run on virtual threads (a watch is a blocked
 * virtual thread, not a platform thread). Every request except the health probes must authenticate
 * (see {@link ApiSecurity}: admin token, token file, client certificate, ServiceAccount token) and
 * then be authorized (everything, or RBAC); the default bind address is loopback only.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final JettyServer server;
    private final String scheme;
    private final ResourceHandler resources;
    private final ServerAuth auth;

    private ApiServer(JettyServer server, String scheme, ResourceHandler resources, ServerAuth auth) {
        this.server = server;
        this.scheme = scheme;
        this.resources = resources;
        this.auth = auth;
    }

    /**
     * Starts serving.
     *
     * @param host    address to bind, normally 127.0.0.1
     * @param port    port, 0 for any free one
     * @param token   the bearer token clients must present
     * @param tls     TLS context, or null for plain HTTP
     */
    public static ApiServer start(ReferenceStore store, String host, int port, String token, SSLContext tls)
            throws IOException {
        return start(store, host, port, token, tls, ProtobufKinds::builtIn);
    }

    /**
     * Starts serving, speaking protobuf for the built-in kinds these descriptors have.
     *
     * @param protobufKinds the Kubernetes protobuf descriptors, asked for at the first protobuf
     *                      request; null to serve JSON (and YAML) only
     */
    public static ApiServer start(ReferenceStore store, String host, int port, String token, SSLContext tls,
                                  Supplier<ProtobufKinds> protobufKinds) throws IOException {
        return start(store, host, port, tls, ApiSecurity.adminTokenOnly(token), protobufKinds);
    }

    /**
     * Starts serving with the given authentication and authorization. With client certificates on,
     * {@code tls} must trust the client CA (see {@link TlsMaterial#serverContext}); clients without a
     * certificate are still accepted and authenticate with a token.
     */
    public static ApiServer start(ReferenceStore store, String host, int port, SSLContext tls, ApiSecurity security)
            throws IOException {
        return start(store, host, port, tls, security, ProtobufKinds::builtIn);
    }

    /** The most general start: authentication and authorization, and the protobuf descriptors (null: JSON only). */
    public static ApiServer start(ReferenceStore store, String host, int port, SSLContext tls, ApiSecurity security,
                                  Supplier<ProtobufKinds> protobufKinds) throws IOException {
        if (security.clientCertificates() && tls == null) {
            throw new IllegalArgumentException("client certificate authentication needs TLS");
        }
        ServerAuth auth = ServerAuth.create(store, security);
        Discovery discovery = new Discovery(store.types());
        OpenApiDocuments openApi = new OpenApiDocuments(store.types());
        Supplier<KubeProtobufCodec> codec = protobufKinds == null ? null
                : Suppliers.memoize(() -> new KubeProtobufCodec(protobufKinds.get()));
        ResourceHandler resources = new ResourceHandler(store, codec);
        AuthApiHandler authApis = new AuthApiHandler(auth.reviews(), codec);
        JettyServer server = JettyServer.start(new InetSocketAddress(host, port), tls, security.clientCertificates(),
                ex -> handle(ex, store, auth, discovery, openApi, resources, authApis), "kardia-api-");
        ApiServer s = new ApiServer(server, tls != null ? "https" : "http", resources, auth);
        LOG.info("Kubernetes API listening on {}", s.url());
        return s;
    }

    /** {@code http://127.0.0.1:PORT} (or https). */
    public String url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + ":" + a.getPort();
    }

    public int port() {
        return server.address().getPort();
    }

    /** Issues and verifies this server's ServiceAccount tokens (what the TokenRequest API answers with), for test kits. */
    public io.kardia.store.auth.ServiceAccountTokens serviceAccountTokens() {
        return auth.serviceAccountTokens();
    }

    private static void handle(HttpExchange ex, ReferenceStore store, ServerAuth auth, Discovery discovery,
                               OpenApiDocuments openApi, ResourceHandler resources, AuthApiHandler authApis) {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            try {
                RequestFraming.check(ex); // a bad method, version or Content-Length is refused before anything else
                if (isHealthProbe(path)) {
                    answerHealthProbe(ex, path, store);
                    return;
                }
                Optional<UserInfo> user = auth.authenticator().authenticate(ex)
                        .map(caller -> Impersonation.actingAs(caller, ex.getRequestHeaders(), auth.authorizer()));
                if (user.isEmpty()) {
                    HttpIo.sendStatus(ex, Status.unauthorized("Unauthorized"));
                    return;
                }
                RequestAttributes attributes = RequestAttributesResolver.resolve(user.get(), ex.getRequestMethod(), path,
                        HttpIo.query(ex));
                Authorizer.Decision decision = auth.authorizer().authorize(attributes);
                if (!decision.allowed()) {
                    LOG.debug("{} {}: forbidden for user {}", ex.getRequestMethod(), path, user.get().name());
                    HttpIo.sendStatus(ex, Forbidden.status(attributes, decision.reason()));
                    return;
                }
                Optional<RestPath> rest = RestPath.parse(path);
                if (rest.isPresent() && authApis.handle(ex, rest.get(), user.get())) {
                    return;
                }
                if (!serveDiscovery(ex, path, discovery, openApi)) {
                    try (var as = io.kardia.store.admission.AdmissionUser.as(user.get(), auth.authorizer())) { // admission's userInfo and authorizer
                        resources.handle(ex, path);
                    }
                }
            } catch (KubeApiException e) {
                HttpIo.sendStatus(ex, e.status());
            } catch (CodecException e) {
                HttpIo.sendStatus(ex, Status.badRequest(e.getMessage()));
            } catch (IOException e) {
                LOG.debug("{} {}: connection problem: {}", ex.getRequestMethod(), path, e.toString());
            } catch (RuntimeException | Error e) {
                LOG.error("{} {} failed", ex.getRequestMethod(), path, e);
                // The details are in the log; a response never names the server's internals.
                HttpIo.sendStatus(ex, Status.internalError("an internal error occurred while handling the request"));
            }
        } catch (IOException e) {
            LOG.debug("{} {}: could not send the error: {}", ex.getRequestMethod(), path, e.toString());
        } finally {
            ProtobufResponses.detach(ex);
        }
    }

    /**
     * 200 "ok" while the store accepts writes; 500 once it stopped (a journal or disk failure), in
     * kube-apiserver's format, so a supervisor or load balancer sees it. /livez stays 200: the
     * process is alive and serves reads; restarting it is the operator's call after fixing the disk.
     */
    private static void answerHealthProbe(HttpExchange ex, String path, ReferenceStore store) throws IOException {
        String reason = path.equals("/livez") ? null : store.unhealthyReason();
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        byte[] body = (reason == null ? "ok" : "[-]journal failed: " + reason + "\n" + path.substring(1) + " check failed\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpIo.sendHeaders(ex, reason == null ? 200 : 500, ex.getRequestMethod().equals("HEAD") ? -1 : body.length);
        try (var out = ex.getResponseBody()) {
            if (!ex.getRequestMethod().equals("HEAD")) {
                out.write(body);
            }
        }
    }

    private static boolean isHealthProbe(String path) {
        return path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz");
    }

    /** Answers discovery and version requests; false when the path is something else. */
    private static boolean serveDiscovery(HttpExchange ex, String rawPath, Discovery discovery, OpenApiDocuments openApi)
            throws IOException {
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (!ex.getRequestMethod().equals("GET")) {
            return false;
        }
        String[] p = path.split("/");
        com.fasterxml.jackson.databind.JsonNode doc;
        if (path.equals("/version")) {
            doc = discovery.version();
        } else if ((path.equals("/api") || path.equals("/apis")) && wantsAggregated(ex)) {
            ex.getResponseHeaders().set("Content-Type", Discovery.AGGREGATED);
            byte[] body = io.kardia.core.json.Json.toBytes(discovery.aggregated(path.equals("/api")));
            HttpIo.sendHeaders(ex, 200, body.length);
            ex.getResponseBody().write(body);
            return true;
        } else if (path.equals("/api")) {
            doc = discovery.coreVersions();
        } else if (path.equals("/apis")) {
            doc = discovery.groups();
        } else if (p.length == 3 && p[1].equals("api")) {
            doc = discovery.resources("", p[2]);
        } else if (p.length == 3 && p[1].equals("apis")) {
            doc = discovery.group(p[2]);
        } else if (p.length == 4 && p[1].equals("apis")) {
            doc = discovery.resources(p[2], p[3]);
        } else if (path.equals("/openapi/v2")) {
            String accept = ex.getRequestHeaders().getFirst("Accept");
            if (OpenApi.acceptsJson(accept)) {
                HttpIo.sendJson(ex, 200, openApi.v2());
            } else {
                HttpIo.sendStatus(ex, Status.failure(406, "NotAcceptable", "the OpenAPI v2 document is served as "
                        + "application/json only, not as " + accept.strip(), null));
            }
            return true;
        } else if (path.equals("/openapi/v3")) {
            HttpIo.sendJson(ex, 200, openApi.v3Index());
            return true;
        } else if (path.startsWith("/openapi/v3/")) {
            java.util.Optional<byte[]> gv = openApi.v3(path.substring("/openapi/v3/".length()));
            if (gv.isEmpty()) {
                return false;
            }
            HttpIo.sendJson(ex, 200, gv.get());
            return true;
        } else {
            return false;
        }
        if (doc == null) {
            HttpIo.sendStatus(ex, Status.failure(404, "NotFound", "the server could not find the requested resource", null));
        } else {
            HttpIo.sendJson(ex, 200, doc);
        }
        return true;
    }

    /** Whether the client accepts aggregated discovery (v2); v2beta1 alone gets the legacy documents. */
    private static boolean wantsAggregated(HttpExchange ex) {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.replace(" ", "").contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    }

    /** Stops accepting requests and ends open watches. */
    @Override
    public void close() {
        resources.closeWatches();
        server.close();
    }
}
