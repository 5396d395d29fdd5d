package io.kardia.benchmarks.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.benchmarks.workload.SimulationBenchmark.SeedResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Running seeds side by side (the benchmark's {@code threads=}) must not change any seed's trace. */
class SimulationBenchmarkTest {

    @Test
    void seedsRunSideBySideReplayTheTracesTheyHaveAlone() throws Exception {
        List<SeedResult> alone = SimulationBenchmark.runSeeds(1, 4, 3, true, 1);
        List<SeedResult> sideBySide = SimulationBenchmark.runSeeds(1, 4, 3, true, 2);
        assertThat(alone).allSatisfy(r -> assertThat(r.failure()).as("seed %d", r.seed()).isNull());
        assertThat(sideBySide).extracting(SeedResult::seed, SeedResult::fingerprint, SeedResult::steps)
                .containsExactlyElementsOf(alone.stream()
                        .map(r -> org.assertj.core.groups.Tuple.tuple(r.seed(), r.fingerprint(), r.steps())).toList());
        assertThat(alone).extracting(SeedResult::fingerprint).doesNotHaveDuplicates();
    }
}
