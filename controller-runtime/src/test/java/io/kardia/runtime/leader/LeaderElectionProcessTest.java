package io.kardia.runtime.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.store.ReferenceStore;
import io.kardia.store.http.ApiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Candidates in separate JVMs over HTTP: kill the leader with destroyForcibly, then stop the next
 * gracefully. Asserts who leads and in which order, never how fast: three JVMs starting on a busy
 * machine are slow, so waits have generous bounds (the handover latencies are covered in-process,
 * by {@link LeaderElectionTest} and on an injected clock by {@link LeaderElectorClockTest}).
 */
class LeaderElectionProcessTest {
    /** Lease, renew deadline, retry period of every candidate: a starved JVM still renews in time. */
    static final Duration LEASE = Duration.ofSeconds(4);
    static final Duration RENEW = Duration.ofSeconds(3);
    static final Duration RETRY = Duration.ofMillis(250);
    static final Duration WAIT = Duration.ofSeconds(60);

    /** A candidate JVM and what it printed. */
    static final class Candidate {
        final String id;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Candidate(String id, Process process) {
            this.id = id;
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process died
                }
            });
        }

        boolean ready() {
            return lines.contains("READY");
        }

        /** nanoTime of the last LEADING not followed by STOPPED, if leading. */
        Optional<Long> leadingSince() {
            Long since = null;
            for (String l : lines) {
                if (l.startsWith("LEADING ")) {
                    since = Long.parseLong(l.substring(8));
                } else if (l.startsWith("STOPPED ")) {
                    since = null;
                }
            }
            return Optional.ofNullable(since);
        }
    }

    @Test
    void killedLeaderIsReplacedAndGracefulStopHandsOverWithoutOverlap() throws Exception {
        List<Candidate> candidates = new ArrayList<>();
        try (ReferenceStore store = ReferenceStore.inMemory();
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, "process-token-0123456789", null)) {
            try {
                for (int i = 0; i < 3; i++) {
                    candidates.add(spawn(server.url(), "jvm-" + i));
                }
                await().atMost(WAIT).until(() -> candidates.stream().allMatch(Candidate::ready));
                Candidate first = awaitLeaderOtherThan(candidates, List.of());

                long killedAt = System.nanoTime();
                first.process.destroyForcibly().waitFor();
                Candidate second = awaitLeaderOtherThan(candidates, List.of(first));
                long secondSince = second.leadingSince().orElseThrow();
                assertThat(secondSince).as("the next leader started only after the kill").isGreaterThan(killedAt);

                second.process.getOutputStream().close(); // graceful: release the lease
                await().atMost(WAIT).until(() -> second.lines.contains("EXITING"));
                Candidate third = awaitLeaderOtherThan(candidates, List.of(first, second));
                long stoppedSecond = second.lines.stream().filter(l -> l.startsWith("STOPPED ")).map(l -> Long.parseLong(
                        l.substring(8))).reduce((a, b) -> b).orElseThrow();
                long thirdSince = third.leadingSince().orElseThrow();
                assertThat(thirdSince).as("no overlap at the handover").isGreaterThan(stoppedSecond);
            } finally {
                candidates.forEach(c -> c.process.destroyForcibly());
            }
        }
    }

    private static List<Candidate> leaders(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.process.isAlive() && c.leadingSince().isPresent()).toList();
    }

    /** Waits until exactly one live candidate, not one of {@code excluded}, leads, and returns it. */
    private static Candidate awaitLeaderOtherThan(List<Candidate> candidates, List<Candidate> excluded) {
        Candidate[] found = new Candidate[1];
        await().atMost(WAIT).until(() -> {
            List<Candidate> leading = leaders(candidates);
            if (leading.size() != 1 || excluded.contains(leading.getFirst())) {
                return false;
            }
            found[0] = leading.getFirst();
            return true;
        });
        return found[0];
    }

    private static Candidate spawn(String url, String id) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LeaderProcessMain.class.getName(), url, "process-token-0123456789", id,
                Long.toString(LEASE.toMillis()), Long.toString(RENEW.toMillis()), Long.toString(RETRY.toMillis()));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new Candidate(id, pb.start());
    }
}
