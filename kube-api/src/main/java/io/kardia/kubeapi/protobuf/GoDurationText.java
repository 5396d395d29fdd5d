package io.kardia.kubeapi.protobuf;

import java.math.BigDecimal;

/** Go's {@code time.Duration} text ({@code "1h0m0s"}, {@code "300ms"}): the JSON form of {@code metav1.Duration}. */
final class GoDurationText {
    private static final long SECOND = 1_000_000_000L;

    private GoDurationText() {
    }

    /** As Go's {@code Duration.String()}. */
    static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        BigDecimal abs = BigDecimal.valueOf(nanos).abs();
        if (abs.compareTo(BigDecimal.valueOf(SECOND)) < 0) {
            if (abs.longValue() < 1_000) {
                return sign + abs + "ns";
            }
            if (abs.longValue() < 1_000_000) {
                return sign + decimal(abs.movePointLeft(3)) + "µs";
            }
            return sign + decimal(abs.movePointLeft(6)) + "ms";
        }
        BigDecimal[] secs = abs.divideAndRemainder(BigDecimal.valueOf(SECOND));
        long s = secs[0].longValueExact();
        StringBuilder out = new StringBuilder(sign);
        long hours = s / 3600;
        long minutes = (s / 60) % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(decimal(BigDecimal.valueOf(s % 60).add(secs[1].movePointLeft(9)))).append('s');
        return out.toString();
    }

    private static String decimal(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}
