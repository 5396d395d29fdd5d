package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.journal.FileJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line in process: help and version everywhere, and every bad input a one-line message with exit 2. */
class KardiaMainTest {

    record Outcome(int code, String out, String err) {
        /** The one line a failure prints. */
        String errLine() {
            assertThat(err.lines().toList()).as("stderr of a failure is one line: %s", err).hasSize(1);
            return err.lines().findFirst().orElseThrow();
        }
    }

    static Outcome run(Map<String, String> env, String... argv) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KardiaMain.run(new KardiaCommand(Shutdown.onRequest()), env, new PrintWriter(out, true),
                new PrintWriter(err, true), argv);
        return new Outcome(code, out.toString(), err.toString());
    }

    static Outcome run(String... argv) {
        return run(Map.of(), argv);
    }

    @Test
    void everyCommandAndSubcommandPrintsItsOwnHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(KardiaMain.commandLine(new KardiaCommand(Shutdown.onRequest()), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())), new ArrayList<>(), paths);
        assertThat(paths).contains(List.of(), List.of("up"), List.of("store"), List.of("controllers"), List.of("nodes"),
                List.of("node"), List.of("node", "stop"), List.of("node", "start"));
        for (List<String> path : paths) {
            List<String> argv = new ArrayList<>(path);
            argv.add("--help");
            Outcome o = run(argv.toArray(String[]::new));
            String name = String.join(" ", List.of("kardia", String.join(" ", path))).strip();
            assertThat(o.code()).as("exit code of %s --help", name).isZero();
            assertThat(o.out()).as("help of %s", name).startsWith("Usage: " + name + " ");
            assertThat(o.err()).isEmpty();
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, paths);
            }
        });
    }

    @Test
    void versionNamesKardiaAndTheKubernetesApiItServes() {
        for (String[] argv : List.of(new String[] {"--version"}, new String[] {"up", "--version"})) {
            Outcome o = run(argv);
            assertThat(o.code()).isZero();
            assertThat(o.out()).startsWith("kardia " + KardiaVersion.kardiaVersion() + "\n")
                    .contains("Kubernetes API v1." + io.kardia.store.http.Discovery.KUBE_MINOR);
        }
        assertThat(KardiaVersion.kardiaVersion()).isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void noCommandPrintsTheUsage() {
        Outcome o = run();
        assertThat(o.code()).isZero();
        assertThat(o.out()).startsWith("Usage: kardia ").contains("up ", "store ", "controllers ", "nodes ", "node ");
    }

    @Test
    void anUnknownFlagOrCommandNamesTheClosestValidOne() {
        Outcome flag = run("up", "--prot", "1");
        assertThat(flag.code()).isEqualTo(2);
        assertThat(flag.errLine()).isEqualTo("kardia up: unknown flag '--prot'; did you mean --port? (see 'kardia up --help')");

        assertThat(run("up", "--data-di=x").errLine()).contains("unknown flag '--data-di=x'; did you mean --data-dir?");
        assertThat(run("stor").errLine()).isEqualTo("kardia: unknown command 'stor'; did you mean store? (see 'kardia --help')");
        assertThat(run("node", "stp", "node-1").errLine()).contains("kardia node: unknown command 'stp'; did you mean stop?");
        assertThat(run("contr").errLine()).contains("unknown command 'contr'; did you mean controllers?");
        assertThat(run("frob").errLine()).isEqualTo("kardia: unknown command 'frob' (see 'kardia --help')");

        Outcome far = run("launch");
        assertThat(far.code()).isEqualTo(2);
        assertThat(far.errLine()).isEqualTo("kardia: unknown command 'launch' (see 'kardia --help')");
    }

    @Test
    void badValuesAreUsageErrors() {
        Outcome notANumber = run("up", "--nodes", "many");
        assertThat(notANumber.code()).isEqualTo(2);
        assertThat(notANumber.errLine()).contains("'many' is not an int");
        Outcome outOfRange = run("up", "--nodes", "9000");
        assertThat(outOfRange.code()).isEqualTo(2);
        assertThat(outOfRange.errLine()).contains("--nodes must be from 0 to 5000, got 9000");
        assertThat(run("store", "--port", "70000").errLine()).contains("--port must be from 0 to 65535");
        Outcome missingName = run("node", "stop");
        assertThat(missingName.code()).isEqualTo(2);
        assertThat(missingName.errLine()).contains("NAME");
        assertThat(run("node").code()).isEqualTo(2);
        for (String command : List.of("up", "controllers")) {
            Outcome loss = run(command, "--on-leader-loss", "linger");
            assertThat(loss.code()).as(command).isEqualTo(2);
            assertThat(loss.errLine()).contains("--on-leader-loss", "must be exit or campaign, got 'linger'");
        }
    }

    @Test
    void onLeaderLossChoosesThePolicyAndDefaultsToExit() {
        CommandLine cl = KardiaMain.commandLine(new KardiaCommand(Shutdown.onRequest()),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        UpCommand up = cl.parseArgs("up", "--on-leader-loss", "campaign").subcommand().commandSpec().commandLine()
                .getCommand();
        assertThat(up.leaderElection.policy).isEqualTo(LeadershipLossPolicy.CAMPAIGN_AGAIN);
        ControllersCommand controllers = cl.parseArgs("controllers").subcommand().commandSpec().commandLine().getCommand();
        assertThat(controllers.leaderElection.policy).isEqualTo(LeadershipLossPolicy.EXIT);
        assertThat(run("up", "--help").out()).contains("--on-leader-loss=exit|campaign", "--drop-damaged-journal-tail");
        assertThat(run("controllers", "--help").out()).contains("--on-leader-loss=exit|campaign");
        assertThat(run("store", "--help").out()).contains("--drop-damaged-journal-tail").doesNotContain("--on-leader-loss");
    }

    /** kube-controller-manager's lease flags, Go durations, defaults 15s/10s/2s; inconsistent timings are exit 2. */
    @Test
    void leaderElectionTimingsAreFlagsCheckedBeforeAnythingStarts() {
        CommandLine cl = KardiaMain.commandLine(new KardiaCommand(Shutdown.onRequest()),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        UpCommand up = cl.parseArgs("up", "--leader-elect-lease-duration", "2s", "--leader-elect-renew-deadline", "1500ms",
                "--leader-elect-retry-period", "300ms").subcommand().commandSpec().commandLine().getCommand();
        var config = up.leaderElection.config(cl);
        assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.renewDeadline()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.retryPeriod()).isEqualTo(Duration.ofMillis(300));
        assertThat(config.name()).isEqualTo("kardia-controller-manager");
        ControllersCommand controllers = cl.parseArgs("controllers", "--leader-elect-lease-duration", "1m30s")
                .subcommand().commandSpec().commandLine().getCommand();
        assertThat(controllers.leaderElection.leaseDuration).isEqualTo(Duration.ofSeconds(90));
        assertThat(controllers.leaderElection.renewDeadline).isEqualTo(Duration.ofSeconds(10));
        assertThat(controllers.leaderElection.retryPeriod).isEqualTo(Duration.ofSeconds(2));

        Outcome notADuration = run("up", "--leader-elect-lease-duration", "15");
        assertThat(notADuration.code()).isEqualTo(2);
        assertThat(notADuration.errLine()).contains("--leader-elect-lease-duration", "such as 15s, 500ms or 1m30s, got '15'");
        Outcome inconsistent = run("controllers", "--leader-elect-lease-duration", "5s", "--leader-elect-renew-deadline", "5s");
        assertThat(inconsistent.code()).isEqualTo(2);
        assertThat(inconsistent.errLine()).contains("leaseDuration (PT5S) must be longer than renewDeadline (PT5S)");
        assertThat(run("up", "--help").out()).contains("--leader-elect-lease-duration=D", "--leader-elect-renew-deadline=D",
                "--leader-elect-retry-period=D");
    }

    /**
     * A journal whose last record is complete but fails its checksum: the start refuses, naming the
     * flag; with --drop-damaged-journal-tail it starts without that one record.
     */
    @Test
    void aDamagedJournalTailIsRefusedUnlessDroppedKnowingly(@TempDir Path dir) throws Exception {
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults(), FileJournal.open(dir.resolve("store")))) {
            for (String name : List.of("kept", "damaged")) {
                store.client().resources(ConfigMap.class).create(ConfigMap.of(ObjectMeta.of("default", name), Map.of("k", "v")));
            }
        }
        Path segment;
        try (var files = Files.list(dir.resolve("store"))) {
            segment = files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".log"))
                    .max(Comparator.comparing(Path::toString)).orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 1] ^= 0x01; // the last record stays complete, its checksum no longer matches
        Files.write(segment, bytes);

        Outcome refused = run("store", "--data-dir", dir.toString(), "--port", "0", "--tls=false");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.errLine()).startsWith("kardia store: cannot open the store in ")
                .contains("complete but damaged", "--drop-damaged-journal-tail");

        Shutdown shutdown = Shutdown.onRequest();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("kardia-store").start(() -> exit.complete(KardiaMain.run(new KardiaCommand(shutdown),
                Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "store", "--data-dir", dir.toString(), "--port", "0", "--tls=false", "--drop-damaged-journal-tail")));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("Kardia store is up") || exit.isDone());
            assertThat(exit).as("store exited early: %s", err).isNotDone();
            try (KubeClient client = HttpKubeClient.fromKubeConfig(dir.resolve("kubeconfig"))) {
                var configMaps = client.resources(ConfigMap.class);
                assertThat(configMaps.find("default", "kept")).isPresent();
                assertThat(configMaps.find("default", "damaged")).isEmpty();
            }
        } finally {
            shutdown.request();
        }
        assertThat(exit.get()).isZero();
    }

    @Test
    void anUnknownLogFormatIsAUsageError() {
        Outcome o = run(Map.of(KardiaMain.LOG_FORMAT_ENV, "xml"), "--version");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLine()).isEqualTo("kardia: KARDIA_LOG_FORMAT=xml is not a log format; use text (the default) or json");
    }

    @Test
    void aMissingKubeconfigSaysWhereKardiaWritesOne(@TempDir Path dir) {
        Outcome o = run("node", "stop", "node-1", "--kubeconfig", dir.resolve("nope").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLine()).contains("no such file", "DIR/kubeconfig");
    }

    @Test
    void badAuthenticationFlagsAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Outcome mode = run("store", "--data-dir", dir.toString(), "--port", "0", "--authorization", "abac");
        assertThat(mode.code()).isEqualTo(2);
        assertThat(mode.errLine()).contains("'abac' is not an authorization mode; use rbac or always-allow");

        Outcome missing = run("store", "--data-dir", dir.toString(), "--port", "0", "--tls=false",
                "--token-auth-file", dir.resolve("absent.csv").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLine()).contains("--token-auth-file: token file").contains("absent.csv does not exist");

        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "s3cr3t-token,alice\n");
        Outcome shortRecord = run("store", "--data-dir", dir.toString(), "--port", "0", "--tls=false",
                "--token-auth-file", tokens.toString());
        assertThat(shortRecord.code()).isEqualTo(2);
        assertThat(shortRecord.errLine()).contains("record 1 must have at least 3 columns").doesNotContain("s3cr3t-token");

        Outcome plainCerts = run("store", "--data-dir", dir.toString(), "--port", "0", "--tls=false",
                "--client-ca-file", tokens.toString());
        assertThat(plainCerts.code()).isEqualTo(2);
        assertThat(plainCerts.errLine()).contains("--client-ca-file needs TLS");
    }

    @Test
    void aPortInUseIsRefusedAndLeavesTheDataDirectoryFree(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("store", "--data-dir", dir.toString(), "--port", String.valueOf(taken.getLocalPort()),
                    "--tls=false");
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.errLine()).startsWith("kardia store: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port");
            assertThat(dir.resolve("kubeconfig")).doesNotExist();
        }
        // Nothing half-started: the lock is released, so the same directory starts at once.
        Shutdown shutdown = Shutdown.onRequest();
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("kardia-store").start(() -> exit.complete(KardiaMain.run(new KardiaCommand(shutdown),
                Map.of(), new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "store", "--data-dir", dir.toString(), "--port", "0", "--tls=false")));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> out.toString().contains("Kardia store is up") || exit.isDone());
            assertThat(exit).isNotDone();
        } finally {
            shutdown.request();
        }
        assertThat(exit.get()).isZero();
    }

    @Test
    void aDataDirectoryInUseByAnotherStoreIsRefused(@TempDir Path dir) {
        try (FileJournal other = FileJournal.open(dir.resolve("store"))) {
            Outcome o = run("store", "--data-dir", dir.toString(), "--port", "0", "--tls=false");
            assertThat(o.code()).isEqualTo(2);
            assertThat(o.errLine()).contains("data directory " + dir.toAbsolutePath().normalize() + " is in use by another Kardia store",
                    "--data-dir");
            assertThat(dir.resolve("kubeconfig")).doesNotExist();
            assertThat(dir.resolve("token")).doesNotExist();
        }
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenIsRefused(@TempDir Path dir) throws IOException {
        // A path under a regular file: no one, root included, can create the directory.
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Outcome o = run("up", "--data-dir", file.resolve("data").toString(), "--port", "0", "--nodes", "0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.errLine()).startsWith("kardia up: cannot write to data directory " + file.resolve("data"))
                .contains("--data-dir");
    }

    @Test
    void closestNameAllowsTyposButNotStrangers() {
        assertThat(ClosestName.distance("--prot", "--port")).isEqualTo(1);
        assertThat(ClosestName.among("--prot", List.of("--port", "--host", "-h"))).contains("--port");
        assertThat(ClosestName.among("--zzz", List.of("--port", "--host", "-h"))).isEmpty();
        assertThat(ClosestName.among("contrllers", List.of("controllers", "nodes"))).contains("controllers");
    }
}
