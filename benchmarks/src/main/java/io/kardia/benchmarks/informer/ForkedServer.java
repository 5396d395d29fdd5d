package io.kardia.benchmarks.informer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link BenchServerProcess} started from this JVM's class path and java binary, and the
 * commands it answers. Its stderr (the store's and server's logs) goes to a file.
 */
final class ForkedServer implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    private final String url;

    ForkedServer(int pods, String token, List<String> jvmArgs, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchServerProcess.class.getName());
        command.add("pods=" + pods);
        command.add("token=" + token);
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        url = answer("url");
    }

    String url() {
        return url;
    }

    /** Collects the server's heap and starts sampling its peak; the collected heap in bytes. */
    long begin() throws IOException {
        in.println("begin");
        return Long.parseLong(answer("base"));
    }

    /** The server's highest heap in use since {@link #begin()}, in bytes. */
    long end() throws IOException {
        in.println("end");
        return Long.parseLong(answer("peak"));
    }

    long pid() {
        return process.pid();
    }

    /** Reads lines until one starts with {@code key}; fails if the process ends first or answers an error. */
    private String answer(String key) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(key + " ")) {
                return line.substring(key.length() + 1).trim();
            }
            if (line.startsWith("error ")) {
                throw new IllegalStateException("the server process answered: " + line);
            }
        }
        throw new IllegalStateException("the server process ended (exit " + waitForExit() + ") before answering " + key);
    }

    private String waitForExit() {
        try {
            return Integer.toString(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        in.close(); // it exits when stdin ends
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
