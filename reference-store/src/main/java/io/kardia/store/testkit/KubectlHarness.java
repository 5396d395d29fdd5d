package io.kardia.store.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kardia.store.ReferenceStore;
import io.kardia.store.auth.ApiSecurity;
import io.kardia.store.http.ApiServer;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kardia.store.http.BearerTokenAuthenticator;
import io.kardia.store.http.KubeconfigWriter;
import io.kardia.store.http.TlsMaterial;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.function.Supplier;

/**
 * A reference store served over TLS with the kubeconfig a user would get, and the real
 * {@code kubectl} pointed at it: a test kit for wire-compatibility tests, here and in other modules
 * (and in users' projects: add JUnit Jupiter, which this module declares optional). Creating one
 * skips the calling test (a JUnit assumption, with the reason) when no kubectl is on the PATH; CI
 * installs Debian's kubernetes-client so it never skips there.
 */
public final class KubectlHarness implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Stream readers get their own threads: the common pool may have a single worker on 2 cores. */
    private static final ExecutorService IO = Executors.newVirtualThreadPerTaskExecutor();

    /** What one kubectl run printed and how it exited. */
    public record Result(int exit, String stdout, String stderr) {
    }

    private final String kubectl;
    private final ApiServer server;
    private final Path kubeconfig;
    private final Path home;
    private final TlsMaterial tls;

    private KubectlHarness(String kubectl, ApiServer server, Path kubeconfig, Path home, TlsMaterial tls) {
        this.kubectl = kubectl;
        this.server = server;
        this.kubeconfig = kubeconfig;
        this.home = home;
        this.tls = tls;
    }

    /** Serves {@code store} on a free loopback port; TLS material, kubeconfig and kubectl's HOME go under {@code dir}. */
    public static KubectlHarness start(ReferenceStore store, Path dir, String whatIsSkipped) throws IOException {
        return start(store, dir, whatIsSkipped, ProtobufKinds::builtIn, UnaryOperator.identity());
    }

    /** As {@link #start(ReferenceStore, Path, String)}, speaking protobuf with these descriptors (null: JSON only). */
    public static KubectlHarness start(ReferenceStore store, Path dir, String whatIsSkipped,
                                       Supplier<ProtobufKinds> protobufKinds) throws IOException {
        return start(store, dir, whatIsSkipped, protobufKinds, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ReferenceStore, Path, String)}, with authentication and authorization
     * configured by {@code security} (given the admin-token-only configuration the kubeconfig's
     * user has): e.g. {@code s -> s.withAuthorization(RBAC).withClientCertificates(true)}.
     */
    public static KubectlHarness start(ReferenceStore store, Path dir, String whatIsSkipped,
                                       UnaryOperator<ApiSecurity> security) throws IOException {
        return start(store, dir, whatIsSkipped, ProtobufKinds::builtIn, security);
    }

    private static KubectlHarness start(ReferenceStore store, Path dir, String whatIsSkipped,
                                        Supplier<ProtobufKinds> protobufKinds, UnaryOperator<ApiSecurity> security)
            throws IOException {
        String kubectl = findOnPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not on the PATH: " + whatIsSkipped
                + " skipped (install it, e.g. Debian's kubernetes-client package, to run it)");
        TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
        String token = BearerTokenAuthenticator.newToken();
        ApiSecurity configured = security.apply(ApiSecurity.adminTokenOnly(token));
        ApiServer server = ApiServer.start(store, "127.0.0.1", 0,
                configured.clientCertificates() ? tls.serverContext(null) : tls.sslContext(), configured, protobufKinds);
        Path kubeconfig = dir.resolve("kubeconfig");
        KubeconfigWriter.write(kubeconfig, server.url(), token, tls.caPem());
        return new KubectlHarness(kubectl, server, kubeconfig, dir, tls);
    }

    public ApiServer server() {
        return server;
    }

    /** A kubeconfig (under the harness's directory) for a user who authenticates with {@code token}. */
    public Path kubeconfigWithToken(String userName, String token) throws IOException {
        Path file = home.resolve("kubeconfig-" + fileName(userName));
        KubeconfigWriter.writeForToken(file, server.url(), tls.caPem(), userName, token);
        return file;
    }

    /** A kubeconfig for {@code user} in {@code groups} with a client certificate signed by the harness's CA. */
    public Path kubeconfigWithClientCertificate(String user, List<String> groups) throws IOException {
        TlsMaterial.ClientCredentials cert = tls.issueClientCertificate(user, groups);
        Path file = home.resolve("kubeconfig-cert-" + fileName(user));
        KubeconfigWriter.writeForClientCertificate(file, server.url(), tls.caPem(), user, cert.certificatePem(),
                cert.privateKeyPem());
        return file;
    }

    private static String fileName(String user) {
        return user.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Runs kubectl to completion (bounded), asserting it exits with 0. */
    public Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(0), args);
    }

    /** Runs kubectl to completion (bounded), asserting its exit code is one of {@code exits}. */
    public Result run(List<Integer> exits, String... args) throws IOException, InterruptedException {
        return runWith(kubeconfig, exits, args);
    }

    /** Runs kubectl with another kubeconfig (another user), asserting its exit code is one of {@code exits}. */
    public Result runWith(Path config, List<Integer> exits, String... args) throws IOException, InterruptedException {
        Process p = start(config, args);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), IO);
        String out = readAll(p.getInputStream());
        boolean done = p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        Result r = new Result(done ? p.exitValue() : -1, out, err.join());
        if (!done) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT);
        }
        if (!exits.contains(r.exit)) {
            throw new AssertionError("kubectl " + String.join(" ", args) + " exited with " + r.exit + ", expected one of "
                    + exits + "\nstdout: " + r.stdout + "\nstderr: " + r.stderr);
        }
        return r;
    }

    /** Starts kubectl without waiting (e.g. {@code get -w}); the caller reads and stops it. */
    public Process start(String... args) throws IOException {
        return start(kubeconfig, args);
    }

    private Process start(Path config, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(kubectl);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("KUBECONFIG", config.toString());
        pb.environment().put("HOME", home.toString()); // discovery cache and config stay inside the test's directory
        return pb.start();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Reads a process stream to its end, as UTF-8. */
    public static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
