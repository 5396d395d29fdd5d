package io.kardia.benchmarks.http;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unpaged {@code LIST} of every pod in a namespace over HTTP (the response read fully into
 * memory), as an informer without paging or {@code kubectl get -o json} does it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HttpListBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(HttpListBenchmark.class);

    @Param("50000")
    public int pods;

    private HttpBenchServer server;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new HttpBenchServer();
        server.loadPods(pods, "p-");
        byte[] body = list();
        LOG.info("LIST of {} pods: {} bytes ({} bytes per pod)", pods, body.length, body.length / pods);
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    @Benchmark
    public byte[] listAllPods() throws Exception {
        return list();
    }

    private byte[] list() throws Exception {
        HttpResponse<byte[]> r = server.http.send(server.request("/api/v1/namespaces/" + HttpBenchServer.NAMESPACE + "/pods")
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("list answered " + r.statusCode());
        }
        return r.body();
    }
}
