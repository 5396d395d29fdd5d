package io.kardia.controllers.cronjob;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.json.Json;
import io.kardia.core.model.FieldTrees;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectReference;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** batch/v1 CronJobStatus; fields it does not know are kept in {@link #extra()}. */
record CronJobStatus(List<ObjectReference> active, Instant lastScheduleTime, Instant lastSuccessfulTime,
                     @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    CronJobStatus {
        active = active == null ? List.of() : List.copyOf(active);
        extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    static CronJobStatus of(GenericObject cronJob) {
        return Json.mapper().convertValue(cronJob.status(), CronJobStatus.class);
    }

    GenericObject applyTo(GenericObject cronJob) {
        return cronJob.with("status", FieldTrees.toTree(this));
    }

    CronJobStatus withActive(List<ObjectReference> newActive) {
        return new CronJobStatus(newActive, lastScheduleTime, lastSuccessfulTime, extra);
    }

    CronJobStatus withLastScheduleTime(Instant t) {
        return new CronJobStatus(active, t, lastSuccessfulTime, extra);
    }

    CronJobStatus withLastSuccessfulTime(Instant t) {
        return new CronJobStatus(active, lastScheduleTime, t, extra);
    }
}
