package io.kardia.controllers.simulation;

import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;

/**
 * Runs the Deployment rollout scenario under one seed and prints its trace's fingerprint, for
 * {@link SeedReplaysInAnyJvmTest} to compare between JVMs.
 */
public final class SeedFingerprint {
    static final String PREFIX = "fingerprint ";

    private SeedFingerprint() {
    }

    /** {@code args}: seed, and "faults" to draw every fault but 5xx writes. */
    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        boolean faults = args.length > 1 && args[1].equals("faults");
        try (Simulation sim = Simulation.builder(seed).faults(faults ? Faults.all().withWriteErrors(0) : Faults.none())
                .maxSteps(100_000).build()) {
            DeploymentSimulationTest.rolloutScenario(sim, DeploymentSimulationTest.REPLICAS, true);
            System.out.println(PREFIX + sim.trace().fingerprint() + " after " + sim.steps() + " steps");
        }
        System.exit(0); // threads a simulation leaves behind must not keep this JVM alive
    }
}
