package io.kardia.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 1Gi}, {@code 1.5}, {@code 2e3}), held exactly
 * as a {@link BigDecimal}. Parsing follows apimachinery's {@code resource.ParseQuantity}: values finer
 * than 1n are rounded up to 1n, and the suffix family (decimal SI, binary SI, decimal exponent) is
 * remembered. {@link #toString()} is Kubernetes' canonical form ({@code 1.5} → {@code 1500m},
 * {@code 1000} → {@code 1k}, {@code 1536Mi} stays, {@code 0.5Gi} → {@code 512Mi}).
 *
 * <p>Equality is by value ({@code 1Gi} equals {@code 1073741824}), as Kubernetes compares quantities.
 * JSON form is the canonical string; JSON numbers are accepted on input.
 */
@JsonSerialize(using = Quantity.Serializer.class)
@JsonDeserialize(using = Quantity.Deserializer.class)
public final class Quantity implements Comparable<Quantity> {

    /** The suffix family a quantity was written with, which its canonical form keeps. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private static final int MAX_SCALE = 9; // nano
    /** 1024^0 .. 1024^6 (Ki .. Ei), computed once: {@code BigDecimal.pow} per parse showed in profiles. */
    private static final BigDecimal[] POW1024 = new BigDecimal[7];

    static {
        BigDecimal p = BigDecimal.ONE;
        for (int i = 0; i < POW1024.length; i++) {
            POW1024[i] = p;
            p = p.multiply(BigDecimal.valueOf(1024));
        }
    }

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value;
        this.format = format;
    }

    /** An exact quantity in the given format; precision beyond 1n is rounded up. */
    public static Quantity of(BigDecimal value, Format format) {
        BigDecimal v = value.scale() > MAX_SCALE ? value.setScale(MAX_SCALE, RoundingMode.UP) : value;
        return new Quantity(v, format == null ? Format.DECIMAL_SI : format);
    }

    public static Quantity of(long value) {
        return of(BigDecimal.valueOf(value), Format.DECIMAL_SI);
    }

    /** {@code ofMillis(250)} is {@code 250m}: CPU. */
    public static Quantity ofMillis(long millis) {
        return of(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
    }

    /** Bytes shown with binary suffixes: {@code ofBytes(1L << 30)} is {@code 1Gi}. */
    public static Quantity ofBytes(long bytes) {
        return of(BigDecimal.valueOf(bytes), Format.BINARY_SI);
    }

    /**
     * Parses {@code <sign?><digits>[.<digits>]<suffix>}, suffix one of {@code n u m "" k M G T P E},
     * {@code Ki Mi Gi Ti Pi Ei}, or {@code e<int>}/{@code E<int>}.
     *
     * @throws IllegalArgumentException naming the input and the problem
     */
    public static Quantity parse(String text) {
        if (text == null || text.isEmpty()) {
            throw bad(text, "quantities must not be empty");
        }
        String s = text;
        int pos = 0;
        int end = s.length();
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            pos++;
        }
        int numStart = pos;
        while (pos < end && isDigit(s.charAt(pos))) {
            pos++;
        }
        String whole = s.substring(numStart, pos);
        String frac = "";
        if (pos < end && s.charAt(pos) == '.') {
            int fracStart = ++pos;
            while (pos < end && isDigit(s.charAt(pos))) {
                pos++;
            }
            frac = s.substring(fracStart, pos);
        }
        if (whole.isEmpty() && frac.isEmpty()) {
            throw bad(text, "expected a number, optionally signed, with an optional decimal part");
        }
        String suffix = s.substring(pos);
        BigDecimal mantissa = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
        if (negative) {
            mantissa = mantissa.negate();
        }
        BigDecimal v;
        Format f;
        switch (suffix) {
            case "" -> { v = mantissa; f = Format.DECIMAL_SI; }
            case "n" -> { v = mantissa.scaleByPowerOfTen(-9); f = Format.DECIMAL_SI; }
            case "u" -> { v = mantissa.scaleByPowerOfTen(-6); f = Format.DECIMAL_SI; }
            case "m" -> { v = mantissa.scaleByPowerOfTen(-3); f = Format.DECIMAL_SI; }
            case "k" -> { v = mantissa.scaleByPowerOfTen(3); f = Format.DECIMAL_SI; }
            case "M" -> { v = mantissa.scaleByPowerOfTen(6); f = Format.DECIMAL_SI; }
            case "G" -> { v = mantissa.scaleByPowerOfTen(9); f = Format.DECIMAL_SI; }
            case "T" -> { v = mantissa.scaleByPowerOfTen(12); f = Format.DECIMAL_SI; }
            case "P" -> { v = mantissa.scaleByPowerOfTen(15); f = Format.DECIMAL_SI; }
            case "E" -> { v = mantissa.scaleByPowerOfTen(18); f = Format.DECIMAL_SI; }
            case "Ki" -> { v = mantissa.multiply(pow1024(1)); f = Format.BINARY_SI; }
            case "Mi" -> { v = mantissa.multiply(pow1024(2)); f = Format.BINARY_SI; }
            case "Gi" -> { v = mantissa.multiply(pow1024(3)); f = Format.BINARY_SI; }
            case "Ti" -> { v = mantissa.multiply(pow1024(4)); f = Format.BINARY_SI; }
            case "Pi" -> { v = mantissa.multiply(pow1024(5)); f = Format.BINARY_SI; }
            case "Ei" -> { v = mantissa.multiply(pow1024(6)); f = Format.BINARY_SI; }
            default -> {
                if ((suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E') && suffix.length() > 1
                        && isExponent(suffix.substring(1))) {
                    int exp;
                    try {
                        exp = Integer.parseInt(suffix.substring(1));
                    } catch (NumberFormatException e) {
                        throw bad(text, "exponent out of range");
                    }
                    if (Math.abs(exp) > 1000) {
                        throw bad(text, "exponent out of range");
                    }
                    v = mantissa.scaleByPowerOfTen(exp);
                    f = Format.DECIMAL_EXPONENT;
                } else {
                    throw bad(text, "unknown suffix '" + suffix + "' (use n, u, m, k, M, G, T, P, E, "
                            + "Ki, Mi, Gi, Ti, Pi, Ei or e<exponent>)");
                }
            }
        }
        return of(v, f);
    }

    private static boolean isExponent(String s) {
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (i >= s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static BigDecimal pow1024(int n) {
        return POW1024[n];
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid quantity \"" + text + "\": " + why);
    }

    /** The exact value. */
    public BigDecimal value() {
        return value;
    }

    public Format format() {
        return format;
    }

    /** The value rounded up to a whole number (Kubernetes' {@code Value()}). */
    public long longValue() {
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The value in thousandths, rounded up (Kubernetes' {@code MilliValue()}): CPU millicores. */
    public long milliValue() {
        return value.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    public int signum() {
        return value.signum();
    }

    /** Sum, in this quantity's format (or {@code other}'s when this is zero, as Kubernetes does). */
    public Quantity add(Quantity other) {
        return of(value.add(other.value), isZero() ? other.format : format);
    }

    public Quantity subtract(Quantity other) {
        return of(value.subtract(other.value), isZero() ? other.format : format);
    }

    public Quantity negate() {
        return of(value.negate(), format);
    }

    @Override
    public int compareTo(Quantity o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
    }

    /** Kubernetes' canonical form. */
    @Override
    public String toString() {
        if (value.signum() == 0) {
            return "0";
        }
        Format f = format;
        if (f == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(POW1024[1]) < 0;
            boolean whole = value.stripTrailingZeros().scale() <= 0;
            if (small || !whole) {
                f = Format.DECIMAL_SI; // don't round: show it in decimal instead
            }
        }
        if (f == Format.BINARY_SI) {
            BigInteger n = value.toBigIntegerExact();
            BigInteger k = BigInteger.valueOf(1024);
            int exp = 0;
            while (exp < 6) {
                BigInteger[] qr = n.divideAndRemainder(k);
                if (qr[1].signum() != 0) {
                    break;
                }
                n = qr[0];
                exp++;
            }
            return n + switch (exp) {
                case 0 -> "";
                case 1 -> "Ki";
                case 2 -> "Mi";
                case 3 -> "Gi";
                case 4 -> "Ti";
                case 5 -> "Pi";
                default -> "Ei";
            };
        }
        // mantissa * 10^exponent with an integer mantissa and an exponent that is a multiple of 3
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int mod = Math.floorMod(exponent, 3);
        if (mod != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN.pow(mod));
            exponent -= mod;
        }
        if (f == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        String suffix = switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> null;
        };
        if (suffix == null) {
            if (exponent > 18) {
                return mantissa.multiply(BigInteger.TEN.pow(exponent - 18)) + "E";
            }
            return mantissa + "e" + exponent; // cannot happen below 1n: parse rounds to nano
        }
        return mantissa + suffix;
    }

    static final class Serializer extends StdSerializer<Quantity> {
        Serializer() {
            super(Quantity.class);
        }

        @Override
        public void serialize(Quantity q, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(q.toString());
        }
    }

    static final class Deserializer extends StdDeserializer<Quantity> {
        Deserializer() {
            super(Quantity.class);
        }

        @Override
        public Quantity deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            String text;
            if (t == JsonToken.VALUE_STRING) {
                text = p.getText().trim();
            } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                text = p.getDecimalValue().toPlainString();
            } else {
                return (Quantity) ctxt.handleUnexpectedToken(Quantity.class, p);
            }
            try {
                return parse(text);
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(text, Quantity.class, e.getMessage());
            }
        }
    }
}
