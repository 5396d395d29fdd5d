package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;

/**
 * batch/v1 CronJob, as kube-apiserver's ValidateCronJob: a name of at most 52 characters (the
 * Jobs it makes add 11), a schedule that robfig/cron's standard parser accepts (five fields or a
 * descriptor such as {@code @hourly}; see {@link CronScheduleSyntax}) without {@code TZ=} or
 * {@code CRON_TZ=} in it, a {@code timeZone} the IANA database knows, concurrency policy, history
 * limits, and the job template.
 */
public final class CronJobValidator implements KindValidator {
    private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        validate(object, null, c);
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validate(object, old.path("spec"), c);
    }

    private static void validate(ObjectNode object, JsonNode oldSpec, Causes c) {
        String name = object.path("metadata").path("name").asText("");
        if (name.length() > 52) {
            c.invalid("metadata.name", name, "must be no more than 52 characters");
        }
        JsonNode spec = object.path("spec");
        validateSchedule(spec, oldSpec, c);
        JsonNode timeZone = spec.path("timeZone");
        // kube-apiserver checks the zone only when it is new, so a zone the database later dropped can stay.
        if (oldSpec == null || !timeZone.equals(oldSpec.path("timeZone"))) {
            validateTimeZone(timeZone, c);
        }
        PodTemplateRules.oneOf(spec, "concurrencyPolicy", "spec.concurrencyPolicy", CONCURRENCY, c);
        PodTemplateRules.nonNegative(spec.path("successfulJobsHistoryLimit"), "spec.successfulJobsHistoryLimit", c);
        PodTemplateRules.nonNegative(spec.path("failedJobsHistoryLimit"), "spec.failedJobsHistoryLimit", c);
        PodTemplateRules.nonNegative(spec.path("startingDeadlineSeconds"), "spec.startingDeadlineSeconds", c);
        JobValidator.validateSpec(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec", c);
    }

    private static void validateSchedule(JsonNode spec, JsonNode oldSpec, Causes c) {
        String s = spec.path("schedule").asText("");
        if (s.isEmpty()) {
            c.required("spec.schedule", null);
            return;
        }
        CronScheduleSyntax.problem(s).ifPresent(problem -> c.invalid("spec.schedule", s, problem));
        // A schedule stored with TZ= before kube refused it may keep it, as long as timeZone stays unset.
        boolean tzAllowed = oldSpec != null && oldSpec.path("schedule").asText("").contains("TZ");
        boolean hasTimeZone = spec.hasNonNull("timeZone");
        if (tzAllowed && s.contains("TZ") && hasTimeZone) {
            c.invalid("spec.schedule", s, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
        } else if (!tzAllowed && s.contains("TZ")) {
            c.invalid("spec.schedule", s, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        }
    }

    private static void validateTimeZone(JsonNode timeZone, Causes c) {
        if (timeZone.isMissingNode() || timeZone.isNull()) {
            return;
        }
        String zone = timeZone.asText();
        if (zone.isEmpty()) {
            c.invalid("spec.timeZone", zone, "timeZone must be nil or non-empty string");
        } else if (zone.equalsIgnoreCase("Local")) {
            c.invalid("spec.timeZone", zone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
        } else if (!CronScheduleSyntax.knownTimeZone(zone)) {
            c.invalid("spec.timeZone", zone, "unknown time zone " + zone);
        }
    }
}
