package io.kardia.kubeapi.protobuf;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The JSON text of Kubernetes' special scalar types as kube-apiserver writes them, shared by every
 * protobuf reader so that the client and the store write the same values.
 */
public final class SpecialJson {
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")
            .withZone(ZoneOffset.UTC);

    private SpecialJson() {
    }

    /** A {@code Time}: RFC 3339 in whole seconds (kube reads only its seconds; its JSON has no fraction). */
    public static String time(long seconds) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds));
    }

    /** A {@code MicroTime}: RFC 3339 with six fraction digits. */
    public static String microTime(long seconds, long nanos) {
        return MICRO_TIME.format(Instant.ofEpochSecond(seconds, nanos).truncatedTo(ChronoUnit.MICROS));
    }

    /** A {@code Quantity}'s string; an empty one is Go's zero quantity. */
    public static String quantity(String text) {
        return text.isEmpty() ? "0" : text;
    }

    /** Whether Go writes this float64 as a whole number ({@code 10}, not {@code 10.0}). */
    public static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15;
    }
}
