package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's failures: a one-line message and an exit code, never a stack trace. */
class KardiaMainTest {

    private record Outcome(int code, String out, String err) {
    }

    private static synchronized Outcome run(String... argv) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = KardiaMain.run(argv);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void unknownFlagIsAUsageError() {
        Outcome o = run("up", "--bogus", "1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("kardia: unknown flag --bogus for 'up'; run './kardia help'\n");
    }

    @Test
    void unknownCommandAndBadNumbersAreUsageErrors() {
        assertThat(run("launch").code()).isEqualTo(2);
        Outcome o = run("up", "--nodes", "many");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--nodes must be a whole number from 0 to 5000, got 'many'");
        var loss = run("up", "--on-leader-loss", "linger", "--port", "0");
        assertThat(loss.code()).isEqualTo(2);
        assertThat(loss.err()).contains("--on-leader-loss must be exit or campaign, got linger");
        assertThat(ClusterCommands.leaderLossPolicy(KardiaMain.parse("controllers", "--on-leader-loss", "campaign")))
                .isEqualTo(io.kardia.runtime.leader.LeadershipLossPolicy.CAMPAIGN_AGAIN);
        assertThat(ClusterCommands.leaderLossPolicy(KardiaMain.parse("controllers")))
                .isEqualTo(io.kardia.runtime.leader.LeadershipLossPolicy.EXIT);
        Outcome node = run("node", "pause", "node-1");
        assertThat(node.code()).isEqualTo(2);
        assertThat(node.err()).contains("usage: ./kardia node stop|start NAME");
    }

    @Test
    void missingKubeconfigIsAUsageError(@TempDir Path dir) {
        Outcome o = run("node", "stop", "node-1", "--kubeconfig", dir.resolve("nope").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("no such file");
    }

    @Test
    void portInUseFailsWithAMessage(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = run("up", "--data-dir", dir.toString(), "--port", String.valueOf(taken.getLocalPort()),
                    "--nodes", "0");
            assertThat(o.code()).isEqualTo(1);
            assertThat(o.err()).contains("kardia: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--port")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void helpListsTheCommands() {
        Outcome o = run("help");
        assertThat(o.code()).isZero();
        assertThat(o.out()).contains("up ", "store ", "controllers ", "nodes ", "node stop NAME");
    }
}
