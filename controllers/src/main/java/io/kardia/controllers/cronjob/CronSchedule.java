package io.kardia.controllers.cronjob;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CronJob's {@code schedule} as Kubernetes reads it (robfig/cron's standard parser): five fields
 * (minute, hour, day of month, month, day of week; a day matches when either day field does if both
 * are restricted; {@code ?} as {@code *}), the descriptors {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly}, and
 * {@code @every <duration>}. Times are computed in a time zone. The five-field syntax is cron-utils'
 * UNIX definition.
 */
final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final Pattern EVERY = Pattern.compile("@every\\s+(\\S+)");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private final ExecutionTime cron;
    private final Duration every;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime cron, Duration every, ZoneId zone) {
        this.cron = cron;
        this.every = every;
        this.zone = zone;
    }

    /**
     * Parses a schedule.
     *
     * @throws IllegalArgumentException naming what is wrong, when it is not a schedule
     */
    static CronSchedule parse(String schedule, ZoneId zone) {
        String s = schedule == null ? "" : schedule.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty schedule");
        }
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            throw new IllegalArgumentException("TZ or CRON_TZ in the schedule is not supported: use spec.timeZone");
        }
        Matcher every = EVERY.matcher(s);
        if (every.matches()) {
            Duration d = parseDuration(every.group(1));
            if (d.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("@every needs a duration of at least 1s, got " + every.group(1));
            }
            return new CronSchedule(null, d, zone);
        }
        String fields = s.startsWith("@") ? DESCRIPTORS.get(s) : s;
        if (fields == null) {
            throw new IllegalArgumentException("unrecognized descriptor: " + s);
        }
        if (fields.split("\\s+").length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + fields.split("\\s+").length + ": " + s);
        }
        try {
            var cron = UNIX.parse(fields.replace('?', '*'));
            cron.validate();
            return new CronSchedule(ExecutionTime.forCron(cron), null, zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The first scheduled time strictly after {@code t}, if there is one. */
    Optional<Instant> next(Instant t) {
        if (every != null) {
            // robfig's ConstantDelaySchedule: whole seconds after t.
            return Optional.of(t.truncatedTo(ChronoUnit.SECONDS).plus(every));
        }
        return cron.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
    }

    ZoneId zone() {
        return zone;
    }

    private static Duration parseDuration(String text) {
        Matcher m = DURATION_PART.matcher(text);
        int pos = 0;
        double millis = 0;
        while (pos < text.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("not a duration: " + text);
            }
            millis += Double.parseDouble(m.group(1)) * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            pos = m.end();
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
