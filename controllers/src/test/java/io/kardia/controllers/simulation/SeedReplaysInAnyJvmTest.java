package io.kardia.controllers.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seed must take the same steps in any JVM, not only when replayed in the JVM that found it: CI
 * saw seed 200 break the surge bound in a full test run (where earlier test classes had hashed
 * other objects first) while {@code -Dtest=DeploymentSimulationTest} passed it. The cause was an
 * iteration order over a hash map keyed by objects whose hash is their identity hash
 * (SharedInformerFactory started its informers in the hash order of their ResourceTypes, whose hash
 * holds their Class's). Identity hashes differ between JVMs by what ran before; here two JVMs
 * draw them by different rules ({@code -XX:hashCode}), so any decision that follows an identity
 * hash shows as two fingerprints.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeedReplaysInAnyJvmTest {

    @Test
    void aSeedTakesTheSameStepsWhateverIdentityHashesTheJvmDraws() throws Exception {
        Process constantHashes = fingerprintInJvm(2, "1"); // every identity hash is 1: hash maps keep insertion order
        Process countedHashes = fingerprintInJvm(3, "1"); // identity hashes count up: another order
        String a = fingerprintOf(constantHashes);
        String b = fingerprintOf(countedHashes);
        assertThat(a).as("seed 1 with constant identity hashes").startsWith(SeedFingerprint.PREFIX);
        assertThat(b).as("seed 1 with counted identity hashes, same steps as with constant ones").isEqualTo(a);
    }

    private static Process fingerprintInJvm(int hashCodeMode, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // This JVM's own options (add-opens the simulation needs), but none that would open a debug port twice.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-XX:hashCode"))
                .forEach(command::add);
        command.add("-XX:+UnlockExperimentalVMOptions");
        command.add("-XX:hashCode=" + hashCodeMode);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SeedFingerprint.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The fingerprint line of a finished run; its whole output when it has none. */
    private static String fingerprintOf(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("the run ends").isTrue();
        return out.lines().filter(l -> l.startsWith(SeedFingerprint.PREFIX)).findFirst().orElse(out);
    }
}
