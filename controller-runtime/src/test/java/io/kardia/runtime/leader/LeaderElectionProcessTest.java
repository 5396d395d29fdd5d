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

/** Candidates in separate JVMs over HTTP: kill the leader with destroyForcibly, then stop the next gracefully. */
class LeaderElectionProcessTest {
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration RETRY = Duration.ofMillis(200);

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
    void killedLeaderIsReplacedWithinLeasePlusRetryAndGracefulStopHandsOverAtOnce() throws Exception {
        List<Candidate> candidates = new ArrayList<>();
        try (ReferenceStore store = ReferenceStore.inMemory();
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, "process-token-0123456789", null)) {
            try {
                for (int i = 0; i < 3; i++) {
                    candidates.add(spawn(server.url(), "jvm-" + i));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> candidates.stream().allMatch(Candidate::ready));
                await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates).size() == 1);
                Candidate first = leaders(candidates).getFirst();

                long killedAt = System.nanoTime();
                first.process.destroyForcibly().waitFor();
                await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates).stream().anyMatch(c -> c != first));
                Candidate second = leaders(candidates).stream().filter(c -> c != first).findFirst().orElseThrow();
                long secondSince = second.leadingSince().orElseThrow();
                assertThat(secondSince).as("the next leader started only after the kill").isGreaterThan(killedAt);
                // lease + retry counts from the last renewal a follower observed; from the kill add the poll
                // that observed it, and slack for separate JVMs on a loaded machine (still well under 2 leases)
                assertThat(Duration.ofNanos(secondSince - killedAt))
                        .as("failover within lease duration + retry period (+ one poll and slack)")
                        .isLessThan(LEASE.plus(RETRY.multipliedBy(2)).plus(Duration.ofMillis(1500)));

                long releasedAt = System.nanoTime();
                second.process.getOutputStream().close(); // graceful: release the lease
                await().atMost(Duration.ofSeconds(10)).until(() -> second.lines.contains("EXITING"));
                await().atMost(Duration.ofSeconds(10)).until(() -> leaders(candidates).stream()
                        .anyMatch(c -> c != first && c != second));
                Candidate third = leaders(candidates).stream().filter(c -> c != first && c != second).findFirst()
                        .orElseThrow();
                long stoppedSecond = second.lines.stream().filter(l -> l.startsWith("STOPPED ")).map(l -> Long.parseLong(
                        l.substring(8))).reduce((a, b) -> b).orElseThrow();
                long thirdSince = third.leadingSince().orElseThrow();
                assertThat(thirdSince).as("no overlap at the handover").isGreaterThan(stoppedSecond);
                assertThat(Duration.ofNanos(thirdSince - releasedAt)).as("handover without waiting for expiry")
                        .isLessThan(LEASE);
            } finally {
                candidates.forEach(c -> c.process.destroyForcibly());
            }
        }
    }

    private static List<Candidate> leaders(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.process.isAlive() && c.leadingSince().isPresent()).toList();
    }

    private static Candidate spawn(String url, String id) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), LeaderProcessMain.class.getName(), url, "process-token-0123456789", id);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        return new Candidate(id, pb.start());
    }
}
