package io.kardia.kubeapi.protobuf;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.Duration} text form, which is the JSON form of Kubernetes' {@code metav1.Duration}
 * ({@code "1h0m0s"}, {@code "1.5s"}, {@code "300ms"}); its protobuf form is the nanoseconds.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");
    private static final long SECOND = 1_000_000_000L;

    private GoDuration() {
    }

    /** As Go's {@code Duration.String()}. */
    public static String format(long nanos) {
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
        String t = v.stripTrailingZeros().toPlainString();
        return t;
    }

    /** As Go's {@code time.ParseDuration}. */
    public static long parse(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        }
        Matcher m = PART.matcher(s);
        BigDecimal total = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            }
            BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> SECOND;
                case "m" -> 60 * SECOND;
                default -> 3600 * SECOND;
            };
            total = total.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        try {
            long v = total.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
            return negative ? -v : v;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": out of range");
        }
    }
}
