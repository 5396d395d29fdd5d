package io.kardia.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The back-off store counts a failed pod once, however often a sync that saw it is retried. */
class PodBackoffsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aSyncRetriedBeforeItsStatusWriteWentThroughDoesNotCountTheSameFailureTwice() {
        PodBackoffs backoffs = new PodBackoffs();
        PodBackoffs.Record first = backoffs.next("ns/job", 0, 1, T0);
        // the status write conflicted: the retry sees the same failed pod as new again
        PodBackoffs.Record retried = backoffs.next("ns/job", 0, 1, T0);
        backoffs.put("ns/job", retried);

        assertThat(first.failuresAfterLastSuccess()).isEqualTo(1);
        assertThat(backoffs.get("ns/job").failuresAfterLastSuccess()).isEqualTo(1);
    }

    @Test
    void failuresAddUpAcrossSyncsAndASuccessResetsThem() {
        PodBackoffs backoffs = new PodBackoffs();
        backoffs.put("ns/job", backoffs.next("ns/job", 0, 1, T0));
        backoffs.put("ns/job", backoffs.next("ns/job", 0, 2, T0.plusSeconds(5)));
        assertThat(backoffs.get("ns/job")).isEqualTo(new PodBackoffs.Record(3, T0.plusSeconds(5)));

        backoffs.put("ns/job", backoffs.next("ns/job", 1, 0, null));
        assertThat(backoffs.get("ns/job")).isEqualTo(PodBackoffs.Record.NONE);
    }
}
