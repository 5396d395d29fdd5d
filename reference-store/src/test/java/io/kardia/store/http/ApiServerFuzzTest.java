package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated requests (paths, methods, content types, truncated or flipped
 * JSON, huge numbers, unicode) from a seeded {@link Random}: the server must answer every one with
 * a proper status (never 5xx, errors as Status JSON), stay healthy, and leave objects the fuzzer
 * never addressed byte-for-byte unchanged. Bounded by request count and time.
 */
class ApiServerFuzzTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiServerFuzzTest.class);
    private static final long SEED = Long.getLong("kardia.fuzz.seed", 20261125L);
    private static final int REQUESTS = 3000;
    private static final long BUDGET_NANOS = 15_000_000_000L;
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    /** The fuzzer never names this namespace; everything in it must survive untouched. */
    private static final String KEEP = "keep-safe-objects";
    private static final String FUZZ = "fuzz";
    private static final Set<Integer> EXPECTED_CODES = Set.of(200, 201, 202, 400, 401, 404, 405, 409, 410, 413, 415, 422,
            504); // 504: a resourceVersion from the future, after the wait, as kube-apiserver answers

    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
        for (String ns : List.of(KEEP, FUZZ)) {
            store.create(ResourceTypes.NAMESPACE, null, tree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}"), null);
        }
        for (String ns : List.of(KEEP, FUZZ)) {
            for (int i = 0; i < 10; i++) {
                store.create(ResourceTypes.CONFIG_MAP, ns, tree(CONFIG_MAP.formatted("cm-" + i)), null);
                store.create(ResourceTypes.POD, ns, tree(POD.formatted("pod-" + i)), null);
            }
            store.create(ResourceTypes.DEPLOYMENT, ns, tree(DEPLOYMENT.formatted("web")), null);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    private static final String CONFIG_MAP = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"app":"demo"}},"data":{"k":"v","n":"1"}}""";
    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"web"}},
             "spec":{"containers":[{"name":"app","image":"nginx:1","ports":[{"containerPort":80}]}]}}""";
    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1"}]}}}}""";

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void randomRequestsNeverHurtTheServerOrForeignData() throws Exception {
        Map<String, byte[]> before = snapshot(KEEP);
        long revisionBefore = store.currentRevision();
        Map<String, AtomicInteger> codes = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + BUDGET_NANOS;
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(SEED + t);
                done.add(pool.submit(() -> {
                    int sent = 0;
                    for (int i = 0; i < REQUESTS / threads && System.nanoTime() < deadline; i++) {
                        Fuzzed f = fuzzed(random);
                        RawHttp.Response r = f.request.send();
                        codes.computeIfAbsent(r.code() + "", k -> new AtomicInteger()).incrementAndGet();
                        String problem = check(f, r);
                        if (problem != null) {
                            unexpected.add(problem);
                        }
                        sent++;
                    }
                    return sent;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            LOG.info("fuzz: {} requests (seed {}), answers by code {}", total, SEED, codes);
            assertThat(total).as("requests sent (seed %d)", SEED).isGreaterThan(500);
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).as("unexpected answers (seed %d), codes seen %s", SEED, codes).isEmpty();

        // The server still answers correctly, and data the fuzzer never addressed is unchanged.
        assertThat(http.get("/healthz").code()).isEqualTo(200);
        assertThat(snapshot(KEEP)).as("objects in namespace %s", KEEP).containsExactlyInAnyOrderEntriesOf(before);
        assertThat(store.currentRevision()).isGreaterThanOrEqualTo(revisionBefore);
        RawHttp.Response created = http.post("/api/v1/namespaces/" + KEEP + "/configmaps", CONFIG_MAP.formatted("after-fuzz"));
        assertThat(created.code()).as(created.text()).isEqualTo(201);
        JsonNode list = Json.tree(http.get("/api/v1/namespaces/" + KEEP + "/configmaps").body());
        assertThat(list.path("items")).hasSize(11);
    }

    private static Map<String, byte[]> snapshot(String ns) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (ResourceType<?> t : List.of(ResourceTypes.CONFIG_MAP, ResourceTypes.POD, ResourceTypes.DEPLOYMENT)) {
            for (StoredObject o : store.list(t, ns, null).items()) {
                out.put(t.plural() + "/" + o.name(), o.bytes());
            }
        }
        return out;
    }

    /** Null when the answer is acceptable, else a description of what was wrong. */
    private static String check(Fuzzed f, RawHttp.Response r) {
        if (!f.validTarget) {
            // Not a valid origin-form request target (raw non-ASCII, bad %-escapes, "//"): the JDK's
            // HTTP layer refuses it before any handler runs, with its own plain 400/404 page.
            return r.code() == 400 || r.code() == 404 ? null : r.code() + " for invalid target " + f;
        }
        if (!EXPECTED_CODES.contains(r.code())) {
            return r.code() + " for " + f + ": " + r.text();
        }
        if (r.code() >= 400 && !f.head) {
            try {
                JsonNode s = Json.tree(r.body());
                if (!s.path("kind").asText().equals("Status") || s.path("code").asInt() != r.code()) {
                    return "error without a matching Status for " + f + ": " + r.text();
                }
            } catch (RuntimeException e) {
                return "error body is not JSON for " + f + ": " + r.text();
            }
        }
        return null;
    }

    record Fuzzed(RawHttp.Request request, String description, boolean head, boolean validTarget) {
        @Override
        public String toString() {
            return description;
        }
    }

    // ------------------------------------------------------------------ generators

    private static final String[] METHODS = {"GET", "GET", "POST", "POST", "PUT", "PATCH", "PATCH", "DELETE", "HEAD", "OPTIONS"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "application/yaml",
            "application/merge-patch+json", "application/strategic-merge-patch+json", "application/json-patch+json",
            "application/apply-patch+yaml", "application/vnd.kubernetes.protobuf", "text/plain", "", "application/json; charset=utf-8",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"};
    private static final String[] PATHS = {
            "/api/v1/namespaces/fuzz/configmaps", "/api/v1/namespaces/fuzz/configmaps/cm-1",
            "/api/v1/namespaces/fuzz/configmaps/new-cm", "/api/v1/namespaces/fuzz/pods", "/api/v1/namespaces/fuzz/pods/pod-2",
            "/api/v1/namespaces/fuzz/pods/pod-3/status", "/api/v1/namespaces/fuzz/pods/pod-4/binding",
            "/api/v1/namespaces/fuzz/pods/pod-5/eviction",
            "/apis/apps/v1/namespaces/fuzz/deployments", "/apis/apps/v1/namespaces/fuzz/deployments/web",
            "/apis/apps/v1/namespaces/fuzz/deployments/web/scale", "/apis/apps/v1/namespaces/fuzz/deployments/web/status",
            "/api/v1/configmaps", "/api/v1/pods", "/api/v1/nodes", "/api/v1/nodes/n1", "/api/v1/namespaces/fuzz",
            "/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/version", "/openapi/v2", "/openapi/v3",
            "/", "/api/v1/namespaces/fuzz/widgets", "/apis/nope/v1/things", "/api/v1/namespaces/fuzz/configmaps/cm-1/status"};
    private static final String[] QUERY = {"limit=2", "limit=-5", "limit=99999999999999999999", "continue=abc",
            "labelSelector=app%3Ddemo", "labelSelector=a%20in%20(", "labelSelector=%E2%98%83%3D%E2%98%83", "fieldSelector=metadata.name%3Dcm-1",
            "fieldSelector=spec.nonsense%3Dx", "resourceVersion=0", "resourceVersion=-1", "resourceVersion=abc",
            "resourceVersionMatch=Exact", "resourceVersionMatch=NotOlderThan", "dryRun=All",
            "dryRun=Nope", "propagationPolicy=Orphan", "propagationPolicy=x", "gracePeriodSeconds=0",
            "gracePeriodSeconds=-3", "fieldManager=fuzz", "pretty=true", "%zz=%zz", "=", "&&&"};
    private static final String[] HUGE = {"1e999999", "-1e-999999", "123456789012345678901234567890123456789", "-0",
            "NaN", "Infinity", "0x10", "1.7976931348623157E309", "\"\\uD800\"", "\"\\u0000\"", "\"☃💥\"",
            "\"" + "ä".repeat(5000) + "\"", "[" .repeat(300) + "]".repeat(300), "{}", "[]", "null", "true"};

    private static Fuzzed fuzzed(Random r) {
        String method = pick(r, METHODS);
        String path = mutatePath(r, pick(r, PATHS));
        StringBuilder q = new StringBuilder();
        int params = r.nextInt(3);
        for (int i = 0; i < params; i++) {
            q.append(q.isEmpty() ? "?" : "&").append(pick(r, QUERY));
        }
        if (r.nextInt(400) == 0) {
            q.append(q.isEmpty() ? "?" : "&").append("watch=1&timeoutSeconds=1");
        }
        if (r.nextInt(400) == 0) {
            // a revision from the future: the server waits a few seconds, then answers 504
            q.append(q.isEmpty() ? "?" : "&").append("resourceVersion=99999999999");
        }
        RawHttp.Request req = http.request(method, path + q);
        String ct = pick(r, CONTENT_TYPES);
        if (!ct.isEmpty()) {
            req.contentType(ct);
        }
        String desc = method + " " + path + q + " [" + ct + "]";
        if (!method.equals("GET") && !method.equals("HEAD") && r.nextInt(5) > 0) {
            byte[] body = body(r);
            req.body(body);
            if (r.nextInt(10) == 0) {
                req.chunked();
            }
            desc += " body=" + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        }
        if (r.nextInt(50) == 0) {
            req.noAuth();
        }
        return new Fuzzed(req, desc, method.equals("HEAD"), isValidTarget(path + q));
    }

    private static boolean isValidTarget(String target) {
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(target)) {
            return false;
        }
        try {
            java.net.URI u = new java.net.URI(target);
            return u.getRawAuthority() == null && u.getRawPath() != null && u.getRawPath().startsWith("/");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String mutatePath(Random r, String path) {
        return switch (r.nextInt(10)) {
            case 0 -> path + "/" + pick(r, new String[] {"x", "%00", "..", "%2F", "☃", "a".repeat(300), ""});
            case 1 -> path.replace("fuzz", pick(r, new String[] {"FUZZ", "fu%20zz", "nope", "", "fuzz%2Fcm-1"}));
            case 2 -> path.substring(0, r.nextInt(path.length()) + 1);
            case 3 -> path.replace("/v1", "/v" + r.nextInt(3));
            default -> path;
        };
    }

    private static byte[] body(Random r) {
        String base = switch (r.nextInt(6)) {
            case 0 -> CONFIG_MAP.formatted("cm-" + r.nextInt(12));
            case 1 -> POD.formatted("pod-" + r.nextInt(12));
            case 2 -> DEPLOYMENT.formatted(r.nextBoolean() ? "web" : "web2");
            case 3 -> "{\"spec\":{\"replicas\":" + pick(r, HUGE) + "},\"data\":{\"k\":" + pick(r, HUGE) + "}}";
            case 4 -> "[{\"op\":\"" + pick(r, new String[] {"add", "remove", "replace", "move", "copy", "test", "x"})
                    + "\",\"path\":\"" + pick(r, new String[] {"/data/k", "/spec/replicas", "/metadata/name", "/", "", "/a/b/c"})
                    + "\",\"value\":" + pick(r, HUGE) + "}]";
            default -> "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"pod-" + r.nextInt(12)
                    + "\"},\"target\":{\"name\":" + pick(r, HUGE) + "}}";
        };
        byte[] b = base.getBytes(StandardCharsets.UTF_8);
        int mutation = r.nextInt(8);
        switch (mutation) {
            case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1 -> {
                for (int i = 0; i < 1 + r.nextInt(4); i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            case 2 -> {
                String s = new String(b, StandardCharsets.UTF_8);
                int at = r.nextInt(s.length());
                b = (s.substring(0, at) + pick(r, HUGE) + s.substring(at)).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                b = new byte[r.nextInt(2000)];
                r.nextBytes(b);
            }
            default -> {
                // valid shape: exercises the normal write paths under fuzz load
            }
        }
        return b;
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }
}
