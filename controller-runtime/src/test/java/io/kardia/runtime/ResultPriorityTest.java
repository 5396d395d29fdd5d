package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResultPriorityTest {

    @Test
    void aRequeueCarriesItsPriority() {
        assertThat(Result.requeue().withPriority(-100).priority()).isEqualTo(-100);
        Result later = Result.requeueAfter(Duration.ofSeconds(3)).withPriority(5);
        assertThat(later.kind()).isEqualTo(Result.Kind.REQUEUE_AFTER);
        assertThat(later.delay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(later.priority()).isEqualTo(5);
        assertThat(Result.requeue().priority()).isNull();
    }

    @Test
    void doneHasNothingToPrioritise() {
        assertThatThrownBy(() -> Result.done().withPriority(1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requeues nothing");
    }
}
