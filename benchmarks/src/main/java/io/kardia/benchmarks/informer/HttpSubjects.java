package io.kardia.benchmarks.informer;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.http.ApiServer;
import java.io.IOException;
import java.util.List;

/** The informers measured over HTTP, against the reference store's API server on loopback. */
final class HttpSubjects {
    private static final String TOKEN = "informer-benchmark-token";

    private HttpSubjects() {
    }

    /** The Kardia HTTP client {@link #addTo} created. */
    static KubeClient kardiaClient(List<AutoCloseable> closeables) {
        for (AutoCloseable c : closeables) {
            if (c instanceof HttpKubeClient k) {
                return k;
            }
        }
        throw new IllegalStateException("no HTTP client was created");
    }

    /** Starts the server and adds Kardia's and fabric8's informers over it; {@code closeables} close in reverse order. */
    static void addTo(BenchStore store, List<InformerSubject> subjects, List<AutoCloseable> closeables) throws IOException {
        ApiServer server = ApiServer.start(store.store, "127.0.0.1", 0, TOKEN, null);
        closeables.add(server);
        // no client-side rate limit: fabric8 has none by default either
        // JSON, as every row before issue 20's protobuf client; the protobuf rows use their own client
        HttpKubeClient kardia = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit()
                .protobuf(false).build());
        closeables.add(kardia);
        HttpKubeClient protobuf = HttpKubeClient.create(ClientConfig.builder(server.url()).bearerToken(TOKEN).noRateLimit()
                .protobuf(true).build());
        closeables.add(protobuf);
        subjects.add(new KardiaSubject("Kardia SharedInformer (HTTP)", kardia, KardiaSubject.Slimming.NONE));
        // over HTTP nothing is shared with the store's own strings, so this is where interning can show
        subjects.add(new KardiaSubject("Kardia (HTTP) + intern labels/annotations", kardia,
                KardiaSubject.Slimming.INTERN_LABELS_AND_ANNOTATIONS));
        // issue 15: the heap managedFields add per cached object (this row against the plain one)
        subjects.add(new KardiaSubject("Kardia (HTTP) + drop managedFields", kardia, KardiaSubject.Slimming.DROP_MANAGED_FIELDS));
        subjects.add(new KardiaSubject("Kardia (HTTP) + drop managedFields + intern", kardia, KardiaSubject.Slimming.BOTH));
        subjects.add(new KardiaSubject("Kardia SharedInformer (HTTP), WatchList", kardia, KardiaSubject.Slimming.NONE, true, false));
        subjects.add(new KardiaSubject("Kardia metadata-only informer (HTTP), WatchList", kardia, KardiaSubject.Slimming.NONE,
                true, true));
        subjects.add(new KardiaSubject("Kardia SharedInformer (HTTP protobuf)", protobuf, KardiaSubject.Slimming.NONE));
        subjects.add(new KardiaSubject("Kardia SharedInformer (HTTP protobuf), WatchList", protobuf, KardiaSubject.Slimming.NONE,
                true, false));
        Fabric8Subject fabric8 = new Fabric8Subject(server.url(), TOKEN);
        closeables.add(fabric8);
        subjects.add(fabric8);
    }
}
