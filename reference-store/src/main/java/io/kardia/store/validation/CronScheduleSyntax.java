package io.kardia.store.validation;

import java.time.ZoneId;
import java.time.zone.ZoneRulesProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar kube-apiserver accepts in a CronJob's {@code spec.schedule} (robfig/cron's standard
 * parser, which it calls): an optional {@code TZ=zone} or {@code CRON_TZ=zone} prefix, then either
 * a descriptor ({@code @yearly}, {@code @annually}, {@code @monthly}, {@code @weekly},
 * {@code @daily}, {@code @midnight}, {@code @hourly}, {@code @every <Go duration>}) or five fields
 * (minute, hour, day of month, month, day of week) of comma-separated ranges
 * {@code *|?|n[-m][/step]}, with month and weekday names. The messages are the parser's, which
 * kube-apiserver puts in its {@code Invalid value} cause.
 *
 * <p>The store only checks the syntax here; the controllers' CronJob controller computes times.
 */
final class CronScheduleSyntax {
    private static final Set<String> DESCRIPTORS = Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily",
            "@midnight", "@hourly");
    private static final String EVERY = "@every ";
    /** A Go duration: an optional sign, then one or more decimal numbers each with a unit. */
    private static final Pattern GO_DURATION = Pattern.compile("[-+]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+|0");
    private static final Pattern IANA_PART = Pattern.compile("[A-Za-z.\\-_0-9+]{1,14}");

    private record Bounds(String name, int min, int max, Map<String, Integer> names) {
    }

    private static final List<Bounds> FIELDS = List.of(
            new Bounds("minute", 0, 59, Map.of()),
            new Bounds("hour", 0, 23, Map.of()),
            new Bounds("day of month", 1, 31, Map.of()),
            new Bounds("month", 1, 12, Map.ofEntries(Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3),
                    Map.entry("apr", 4), Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7),
                    Map.entry("aug", 8), Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11),
                    Map.entry("dec", 12))),
            new Bounds("day of week", 0, 6, Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5,
                    "sat", 6)));

    private CronScheduleSyntax() {
    }

    /** @return why the schedule does not parse, empty when it does */
    static Optional<String> problem(String schedule) {
        if (schedule.isEmpty()) {
            return Optional.of("empty spec string");
        }
        String spec = schedule;
        if (spec.startsWith("TZ=") || spec.startsWith("CRON_TZ=")) {
            int space = spec.indexOf(' ');
            String zone = spec.substring(spec.indexOf('=') + 1, space < 0 ? spec.length() : space);
            if (!knownTimeZone(zone)) {
                return Optional.of("provided bad location " + zone + ": unknown time zone " + zone);
            }
            spec = space < 0 ? "" : spec.substring(space).trim();
        }
        if (spec.startsWith("@")) {
            return descriptorProblem(spec);
        }
        String[] fields = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
        if (fields.length != FIELDS.size()) {
            return Optional.of("expected exactly 5 fields, found " + fields.length + ": "
                    + "[" + String.join(" ", Arrays.asList(fields)) + "]");
        }
        for (int i = 0; i < fields.length; i++) {
            for (String range : fields[i].split(",")) {
                if (range.isEmpty()) {
                    continue; // robfig splits with FieldsFunc, which drops empty pieces
                }
                try {
                    checkRange(range, FIELDS.get(i));
                } catch (BadSchedule e) {
                    return Optional.of(e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the IANA time zone database knows the zone, with kube-apiserver's character rules
     * (each part of at most 14 of {@code A-Za-z.-_0-9+}, none {@code .} or {@code ..} or starting
     * with {@code -}) and never {@code Local}.
     */
    static boolean knownTimeZone(String zone) {
        if (zone.isEmpty() || zone.equalsIgnoreCase("Local")) {
            return false;
        }
        for (String part : zone.split("/", -1)) {
            if (part.equals(".") || part.equals("..") || part.startsWith("-") || !IANA_PART.matcher(part).matches()) {
                return false;
            }
        }
        // Region ids only: ZoneId.of also takes offsets such as "+05:00" that Go's LoadLocation refuses.
        return zone.equals("UTC") || ZoneRulesProvider.getAvailableZoneIds().contains(zone) && isLoadable(zone);
    }

    private static boolean isLoadable(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Optional<String> descriptorProblem(String spec) {
        if (DESCRIPTORS.contains(spec)) {
            return Optional.empty();
        }
        if (spec.startsWith(EVERY)) {
            String duration = spec.substring(EVERY.length());
            if (!GO_DURATION.matcher(duration).matches()) {
                return Optional.of("failed to parse duration " + spec + ": time: invalid duration \"" + duration + "\"");
            }
            return Optional.empty();
        }
        return Optional.of("unrecognized descriptor: " + spec);
    }

    /** Checks one {@code *|?|n[-m][/step]} range of a field. */
    private static void checkRange(String expr, Bounds b) throws BadSchedule {
        String[] rangeAndStep = expr.split("/", -1);
        String[] lowAndHigh = rangeAndStep[0].split("-", -1);
        long start;
        long end;
        if (lowAndHigh[0].equals("*") || lowAndHigh[0].equals("?")) {
            start = b.min();
            end = b.max();
        } else {
            start = intOrName(lowAndHigh[0], b);
            if (lowAndHigh.length == 1) {
                end = start;
            } else if (lowAndHigh.length == 2) {
                end = intOrName(lowAndHigh[1], b);
            } else {
                throw new BadSchedule("too many hyphens: " + expr);
            }
        }
        long step = 1;
        if (rangeAndStep.length == 2) {
            step = nonNegativeInt(rangeAndStep[1]);
            if (lowAndHigh.length == 1) {
                end = b.max(); // "n/step" means "n-max/step"
            }
        } else if (rangeAndStep.length > 2) {
            throw new BadSchedule("too many slashes: " + expr);
        }
        if (start < b.min()) {
            throw new BadSchedule("beginning of range (" + start + ") below minimum (" + b.min() + "): " + expr);
        }
        if (end > b.max()) {
            throw new BadSchedule("end of range (" + end + ") above maximum (" + b.max() + "): " + expr);
        }
        if (start > end) {
            throw new BadSchedule("beginning of range (" + start + ") beyond end of range (" + end + "): " + expr);
        }
        if (step == 0) {
            throw new BadSchedule("step of range should be a positive number: " + expr);
        }
    }

    private static long intOrName(String text, Bounds b) throws BadSchedule {
        Integer named = b.names().get(text.toLowerCase(Locale.ROOT));
        return named != null ? named : nonNegativeInt(text);
    }

    /** Go's strconv.Atoi, then robfig's refusal of negatives. */
    private static long nonNegativeInt(String text) throws BadSchedule {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadSchedule("failed to parse int from " + text + ": strconv.Atoi: parsing \"" + text + "\": invalid syntax");
        }
        if (n < 0) {
            throw new BadSchedule("negative number (" + n + ") not allowed: " + text);
        }
        return n;
    }

    /** Why a schedule does not parse; local to this class, turned into a message by {@link #problem}. */
    private static final class BadSchedule extends Exception {
        BadSchedule(String message) {
            super(message, null, false, false);
        }
    }
}
