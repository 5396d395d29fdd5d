package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * batch/v1 CronJob, as kube-apiserver's ValidateCronJob: a name of at most 52 characters (the
 * Jobs it makes add 11), a schedule in cron syntax (five fields, or a descriptor such as
 * {@code @hourly}; no {@code TZ=} in it), concurrency policy, history limits, and the job template.
 */
public final class CronJobValidator implements KindValidator {
    private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");
    private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final Pattern FIELD = Pattern.compile("[0-9A-Za-z*?/,\\-]+");
    private static final Pattern EVERY = Pattern.compile("@every\\s+([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        String name = object.path("metadata").path("name").asText("");
        if (name.length() > 52) {
            c.invalid("metadata.name", name, "must be no more than 52 characters");
        }
        JsonNode spec = object.path("spec");
        validateSchedule(spec.path("schedule"), c);
        PodTemplateRules.oneOf(spec, "concurrencyPolicy", "spec.concurrencyPolicy", CONCURRENCY, c);
        PodTemplateRules.nonNegative(spec.path("successfulJobsHistoryLimit"), "spec.successfulJobsHistoryLimit", c);
        PodTemplateRules.nonNegative(spec.path("failedJobsHistoryLimit"), "spec.failedJobsHistoryLimit", c);
        PodTemplateRules.nonNegative(spec.path("startingDeadlineSeconds"), "spec.startingDeadlineSeconds", c);
        JobValidator.validateSpec(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec", c);
    }

    private static void validateSchedule(JsonNode schedule, Causes c) {
        String s = schedule.asText("").trim();
        if (s.isEmpty()) {
            c.required("spec.schedule", null);
            return;
        }
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            c.invalid("spec.schedule", s, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
            return;
        }
        if (s.startsWith("@")) {
            if (!DESCRIPTORS.contains(s) && !EVERY.matcher(s).matches()) {
                c.invalid("spec.schedule", s, "unrecognized descriptor: " + s);
            }
            return;
        }
        String[] fields = s.split("\\s+");
        if (fields.length != 5) {
            c.invalid("spec.schedule", s, "expected exactly 5 fields, found " + fields.length + ": " + s);
            return;
        }
        for (String f : fields) {
            if (!FIELD.matcher(f).matches()) {
                c.invalid("spec.schedule", s, "failed to parse int from " + f);
                return;
            }
        }
    }
}
