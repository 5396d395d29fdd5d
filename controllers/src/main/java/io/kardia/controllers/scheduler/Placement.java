package io.kardia.controllers.scheduler;

import io.kardia.core.model.Pod;

/**
 * What a bound pod takes from its node.
 *
 * @param cpuMillis    cpu requested (for the fit filter)
 * @param memoryBytes  memory requested (for the fit filter)
 * @param scoreCpu     cpu counted for scoring: unset requests count as 100m, as kube-scheduler does
 * @param scoreMemory  memory counted for scoring: unset requests count as 200Mi
 * @param owner        uid of the controlling owner, or null
 */
record Placement(String node, long cpuMillis, long memoryBytes, long scoreCpu, long scoreMemory, String owner) {
    static final long DEFAULT_CPU_MILLIS = 100;
    static final long DEFAULT_MEMORY_BYTES = 200L * 1024 * 1024;

    static Placement of(Pod pod, String node) {
        long cpu = pod.spec().totalRequest("cpu").milliValue();
        long mem = pod.spec().totalRequest("memory").longValue();
        String owner = pod.metadata().controllerRef().map(r -> r.uid()).orElse(null);
        return new Placement(node, cpu, mem, cpu == 0 ? DEFAULT_CPU_MILLIS : cpu,
                mem == 0 ? DEFAULT_MEMORY_BYTES : mem, owner);
    }
}
