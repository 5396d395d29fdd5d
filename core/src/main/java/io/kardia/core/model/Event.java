package io.kardia.core.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.Map;

/**
 * core/v1 Event, as controllers record them. {@code eventTime} is a MicroTime; {@code series} and
 * {@code related} are kept in {@link #extra()}.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata"})
public record Event(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        ObjectReference involvedObject,
        String reason,
        String message,
        EventSource source,
        Instant firstTimestamp,
        Instant lastTimestamp,
        Integer count,
        String type,
        @JsonSerialize(using = MicroTime.Serializer.class) Instant eventTime,
        String action,
        String reportingComponent,
        String reportingInstance,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) implements KubeObject {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    public Event {
        apiVersion = apiVersion == null ? "v1" : apiVersion;
        kind = kind == null ? "Event" : kind;
        metadata = metadata == null ? ObjectMeta.builder().build() : metadata;
        extra = Frozen.tree(extra);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public Event withMetadata(ObjectMeta newMetadata) {
        return toBuilder().metadata(newMetadata).build();
    }

    /** Another occurrence of the same event: count + 1 and a new lastTimestamp. */
    public Event withRepeat(Instant now) {
        return toBuilder().count(count == null ? 2 : count + 1).lastTimestamp(now).build();
    }

    /** Mutable builder for an event. */
    public static final class Builder {
        private String apiVersion;
        private String kind;
        private ObjectMeta metadata;
        private ObjectReference involvedObject;
        private String reason;
        private String message;
        private EventSource source;
        private Instant firstTimestamp;
        private Instant lastTimestamp;
        private Integer count;
        private String type;
        private Instant eventTime;
        private String action;
        private String reportingComponent;
        private String reportingInstance;
        private Map<String, Object> extra;

        private Builder() {
        }

        private Builder(Event e) {
            apiVersion = e.apiVersion;
            kind = e.kind;
            metadata = e.metadata;
            involvedObject = e.involvedObject;
            reason = e.reason;
            message = e.message;
            source = e.source;
            firstTimestamp = e.firstTimestamp;
            lastTimestamp = e.lastTimestamp;
            count = e.count;
            type = e.type;
            eventTime = e.eventTime;
            action = e.action;
            reportingComponent = e.reportingComponent;
            reportingInstance = e.reportingInstance;
            extra = e.extra;
        }

        public Builder metadata(ObjectMeta v) { metadata = v; return this; }
        public Builder involvedObject(ObjectReference v) { involvedObject = v; return this; }
        public Builder reason(String v) { reason = v; return this; }
        public Builder message(String v) { message = v; return this; }
        public Builder source(EventSource v) { source = v; return this; }
        public Builder firstTimestamp(Instant v) { firstTimestamp = v; return this; }
        public Builder lastTimestamp(Instant v) { lastTimestamp = v; return this; }
        public Builder count(Integer v) { count = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder eventTime(Instant v) { eventTime = v; return this; }
        public Builder action(String v) { action = v; return this; }
        public Builder reportingComponent(String v) { reportingComponent = v; return this; }
        public Builder reportingInstance(String v) { reportingInstance = v; return this; }

        public Event build() {
            return new Event(apiVersion, kind, metadata, involvedObject, reason, message, source, firstTimestamp,
                    lastTimestamp, count, type, eventTime, action, reportingComponent, reportingInstance, extra);
        }
    }
}
