package io.kardia.runtime.leader;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.config.ClientConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * One candidate in its own JVM, for {@link LeaderElectionProcessTest}. Reports on stdout
 * {@code READY}, {@code LEADING <nanoTime>} and {@code STOPPED <nanoTime>} (System.nanoTime is the
 * host's monotonic clock, comparable across JVMs on Linux); closing its stdin stops it gracefully.
 * Arguments: server URL, token, identity, lease duration, renew deadline and retry period in ms.
 */
public final class LeaderProcessMain {
    private LeaderProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        String url = args[0];
        String token = args[1];
        String identity = args[2];
        PrintStream out = System.out;
        LeaderElectionConfig config = LeaderElectionConfig.of("default", "process-election").withIdentity(identity)
                .withTimings(Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])),
                        Duration.ofMillis(Long.parseLong(args[5])));
        try (KubeClient client = HttpKubeClient.create(ClientConfig.builder(url).bearerToken(token).noRateLimit().build())) {
            LeaderElector elector = new LeaderElector(client, config, new LeaderCallbacks() {
                @Override
                public void onStartedLeading() {
                    report(out, "LEADING " + System.nanoTime());
                }

                @Override
                public void onStoppedLeading() {
                    report(out, "STOPPED " + System.nanoTime());
                }
            });
            elector.start();
            report(out, "READY");
            while (System.in.read() >= 0) {
                // wait for stdin to close: the test's signal to shut down gracefully
            }
            elector.close();
            report(out, "EXITING");
        }
    }

    private static synchronized void report(PrintStream out, String line) {
        out.println(line);
        out.flush();
    }
}
