package io.kardia.benchmarks.controlplane;

import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import io.kardia.store.http.BearerTokenAuthenticator;
import java.io.IOException;
import java.util.Locale;

/**
 * The reference store served over HTTP on loopback, and a client to it with a client-side limit
 * of {@code qps} and {@code burst} ({@code kardia controllers}' defaults: the client's,
 * {@link ClientConfig#DEFAULT_QPS}/{@link ClientConfig#DEFAULT_BURST}; {@code qps <= 0}: none),
 * counting its requests: what the controllers under measurement talk through, as they would in
 * {@code kardia controllers} against a cluster.
 */
final class RateLimitedApi implements AutoCloseable {
    final double qps;
    final int burst;
    private final ApiServer server;
    private final HttpKubeClient http;
    private final RequestCounter counter;

    /**
     * @param protobuf whether the client reads built-in kinds as protobuf (the client's default, and
     *                 the programs' since the watch stall of 2026-12-07 was fixed: see
     *                 benchmarks/README.md, Job section); {@code protobuf=false} measures JSON
     */
    RateLimitedApi(ReferenceStore store, double qps, int burst, boolean protobuf) throws IOException {
        this.qps = qps;
        this.burst = burst;
        String token = BearerTokenAuthenticator.newToken();
        server = ApiServer.start(store, "127.0.0.1", 0, token, null);
        ClientConfig.Builder config = ClientConfig.builder(server.url()).bearerToken(token).protobuf(protobuf);
        http = HttpKubeClient.create((qps > 0 ? config.rateLimit(qps, burst) : config.noRateLimit()).build());
        counter = new RequestCounter(http);
    }

    /** The counted, rate-limited client. */
    RequestCounter client() {
        return counter;
    }

    /** The requests counted since the last call (then reset), their time at the rate limit, and {@code seconds} against it. */
    String report(double seconds) {
        long n = counter.total();
        double limited = RequestCounter.atRateLimit(n, qps, burst);
        String out = String.format(Locale.ROOT, "controller-manager requests %d %s; at %s: %.1f s; measured %.2f s = %s",
                n, counter.snapshot(), limit(), limited, seconds,
                limited > 0 ? String.format(Locale.ROOT, "%.2f× that", seconds / limited) : "n/a");
        counter.reset();
        return out;
    }

    String limit() {
        return qps > 0 ? qps + " QPS, burst " + burst : "no limit";
    }

    @Override
    public void close() {
        http.close();
        server.close();
    }
}
