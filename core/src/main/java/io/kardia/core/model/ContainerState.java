package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.util.Map;

/** core/v1 ContainerState: at most one of waiting, running, terminated is set. */
public record ContainerState(
        Waiting waiting,
        Running running,
        Terminated terminated,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ContainerState {
        extra = Frozen.tree(extra);
    }

    public static ContainerState waiting(String reason, String message) {
        return new ContainerState(new Waiting(reason, message, null), null, null, null);
    }

    public static ContainerState running(Instant startedAt) {
        return new ContainerState(null, new Running(startedAt, null), null, null);
    }

    public static ContainerState terminated(int exitCode, String reason, Instant startedAt, Instant finishedAt) {
        return new ContainerState(null, null,
                new Terminated(exitCode, null, reason, null, startedAt, finishedAt, null, null), null);
    }

    public record Waiting(String reason, String message,
                          @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Waiting {
            extra = Frozen.tree(extra);
        }
    }

    public record Running(Instant startedAt, @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Running {
            extra = Frozen.tree(extra);
        }
    }

    public record Terminated(Integer exitCode, Integer signal, String reason, String message, Instant startedAt,
                             Instant finishedAt, String containerID,
                             @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Terminated {
            extra = Frozen.tree(extra);
        }
    }
}
