package io.kardia.benchmarks.operator;

import java.util.HashMap;
import java.util.Map;

/** {@code key=value} arguments of the operator benchmarks' mains. */
record BenchmarkArgs(Map<String, String> values) {

    static BenchmarkArgs parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return new BenchmarkArgs(values);
    }

    String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }
}
