package io.kardia.benchmarks.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.benchmarks.workload.SimulationBenchmark.SeedResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spreading seeds over JVMs run side by side (the benchmark's {@code jvms=}) must not change any seed's trace. */
class SimulationBenchmarkTest {

    @Test
    void seedsSpreadOverTwoJvmsReplayTheTracesOfOneJvm() throws Exception {
        List<SeedResult> one = SimulationBenchmark.runInJvms(3, 2, true, 1);
        List<SeedResult> two = SimulationBenchmark.runInJvms(3, 2, true, 2);
        assertThat(one).extracting(SeedResult::seed).containsExactly(1L, 2L, 3L);
        assertThat(one).allSatisfy(r -> assertThat(r.failure()).as("seed %d", r.seed()).isNull());
        assertThat(two).isEqualTo(one);
        assertThat(one).extracting(SeedResult::fingerprint).as("three seeds, three orders").doesNotHaveDuplicates();
    }

    @Test
    void aResultLineReadsBackAsItsResult() {
        SeedResult passed = new SeedResult(7, 1234, 5_000_000_000L, -42, null);
        SeedResult failed = new SeedResult(8, 99, 1, 3, "invariant broken\nat step 5\nseed 8\nmore");
        assertThat(SeedResult.parse(passed.line())).contains(passed);
        assertThat(SeedResult.parse(failed.line())).contains(new SeedResult(8, 99, 1, 3, "invariant broken | at step 5 | seed 8"));
        assertThat(SeedResult.parse("some log line")).isEmpty();
    }
}
