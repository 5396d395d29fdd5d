package io.kardia.controllers.cronjob;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import java.util.Map;

/** The part of a batch/v1 CronJob's spec the controller reads; the job template's spec stays a tree. */
@JsonIgnoreProperties(ignoreUnknown = true)
record CronJobSpec(String schedule, String timeZone, Long startingDeadlineSeconds, String concurrencyPolicy,
                   Boolean suspend, Integer successfulJobsHistoryLimit, Integer failedJobsHistoryLimit,
                   JobTemplate jobTemplate) {

    static CronJobSpec of(GenericObject cronJob) {
        return Json.mapper().convertValue(cronJob.spec(), CronJobSpec.class);
    }

    String concurrencyPolicyOrDefault() {
        return concurrencyPolicy == null ? "Allow" : concurrencyPolicy;
    }

    boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobTemplate(ObjectMeta metadata, Map<String, Object> spec) {
    }
}
