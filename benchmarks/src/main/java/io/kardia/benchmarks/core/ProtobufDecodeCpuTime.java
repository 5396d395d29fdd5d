package io.kardia.benchmarks.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@link ProtobufDecodeBenchmark}'s eight decodes timed in this thread's CPU time rather than wall
 * time, interleaved round by round: on a machine shared with other work a thread
 * that waits for a core does not count, so the ratios hold where JMH's wall-clock scores scatter.
 * Prints the median CPU microseconds per decode of each. Arguments: rounds (default 30), pods in
 * the list (default 1000).
 */
public final class ProtobufDecodeCpuTime {
    private ProtobufDecodeCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        ProtobufDecodeBenchmark b = new ProtobufDecodeBenchmark();
        b.pods = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        b.load();
        Map<String, Callable<Object>> cases = new LinkedHashMap<>();
        cases.put("podJackson", b::podJackson);
        cases.put("podStreamingProtobuf", b::podStreamingProtobuf);
        cases.put("podDynamicMessageProtobuf", b::podDynamicMessageProtobuf);
        cases.put("podClientProtobufToJson", b::podClientProtobufToJson);
        cases.put("listJackson", b::listJackson);
        cases.put("listStreamingProtobuf", b::listStreamingProtobuf);
        cases.put("listDynamicMessageProtobuf", b::listDynamicMessageProtobuf);
        cases.put("listClientProtobufToJson", b::listClientProtobufToJson);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Map<String, double[]> perOp = new LinkedHashMap<>();
        cases.keySet().forEach(k -> perOp.put(k, new double[rounds]));
        int warmup = Math.max(3, rounds / 5);
        for (int r = -warmup; r < rounds; r++) {
            for (Map.Entry<String, Callable<Object>> c : cases.entrySet()) {
                int ops = c.getKey().startsWith("pod") ? 2000 : 2;
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < ops; i++) {
                    if (c.getValue().call() == null) {
                        throw new IllegalStateException(c.getKey());
                    }
                }
                if (r >= 0) {
                    perOp.get(c.getKey())[r] = (cpu.getCurrentThreadCpuTime() - start) / 1000.0 / ops;
                }
            }
        }
        perOp.forEach((name, values) -> {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            System.out.printf("%-28s median %,12.1f us CPU/op   (p10 %,.1f, p90 %,.1f)%n", name, sorted[rounds / 2],
                    sorted[rounds / 10], sorted[rounds * 9 / 10]);
        });
    }
}
