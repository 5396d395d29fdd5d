package io.kardia.benchmarks.operator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time each thread of a process has used, read from Linux's {@code /proc/PID/task/TID/stat}
 * (user + system ticks): where a start-up's CPU went (compiler threads, GC, main...) without a
 * profiler that would change it. Threads of the same kind (numbered compiler or GC threads) are
 * summed under one name.
 */
final class ThreadCpu {
    private static final double MILLIS_PER_TICK = 10; // USER_HZ is 100 on Linux

    private ThreadCpu() {
    }

    /** Thread name (without its number) to CPU milliseconds, largest first; empty where /proc is unreadable. */
    static Map<String, Long> of(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (comm) state ...": comm may hold spaces, the fields after ')' do not.
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("(?<=[#-])[0-9]+|[0-9]+$", "");
                    List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
                    long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12)); // utime, stime
                    byName.merge(name, Math.round(ticks * MILLIS_PER_TICK), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        byName.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
