package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the timestamps Kubernetes writes ({@code 2026-11-20T10:00:00Z}, optionally with a
 * fraction or a numeric offset) without {@code DateTimeFormatter}, whose general parser was a
 * fifth of the time spent decoding a Pod. Anything else — other layouts, leap seconds, numbers —
 * goes to Jackson's own Instant deserializer, so what is accepted does not change.
 */
final class Rfc3339InstantDeserializer extends StdScalarDeserializer<Instant> {
    private static final int SHORTEST = "2006-01-02T15:04:05Z".length();

    Rfc3339InstantDeserializer() {
        super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            Instant fast = p.hasTextCharacters()
                    ? parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                    : parse(p.getText());
            if (fast != null) {
                return fast;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(p, ctxt);
    }

    private static Instant parse(String s) {
        return s.length() < SHORTEST ? null : parse(s.toCharArray(), 0, s.length());
    }

    /** The instant, or null when the text is not plain RFC 3339 (the general parser then decides). */
    static Instant parse(char[] c, int off, int len) {
        if (len < SHORTEST || len > SHORTEST + 16) {
            return null;
        }
        int year = digits(c, off, 4);
        int month = digits(c, off + 5, 2);
        int day = digits(c, off + 8, 2);
        int hour = digits(c, off + 11, 2);
        int minute = digits(c, off + 14, 2);
        int second = digits(c, off + 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || c[off + 4] != '-' || c[off + 7] != '-' || (c[off + 10] != 'T' && c[off + 10] != 't')
                || c[off + 13] != ':' || c[off + 16] != ':'
                || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = off + 19;
        int end = off + len;
        int nanos = 0;
        if (c[i] == '.') {
            int scale = 100_000_000;
            i++;
            int start = i;
            while (i < end && c[i] >= '0' && c[i] <= '9') {
                if (i - start == 9) {
                    return null;
                }
                nanos += (c[i] - '0') * scale;
                scale /= 10;
                i++;
            }
            if (i == start) {
                return null;
            }
        }
        int offsetSeconds;
        if (i == end - 1 && (c[i] == 'Z' || c[i] == 'z')) {
            offsetSeconds = 0;
        } else if (i == end - 6 && (c[i] == '+' || c[i] == '-') && c[i + 3] == ':') {
            int oh = digits(c, i + 1, 2);
            int om = digits(c, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 23 || om > 59) {
                return null;
            }
            offsetSeconds = (c[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** The decimal value of {@code n} digits, or -1 if one is not a digit. */
    private static int digits(char[] c, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            int d = c[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    @Override
    public boolean isCachable() {
        return true;
    }
}
