package io.kardia.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * metav1.MicroTime on the wire: RFC 3339 with exactly six fractional digits
 * ({@code 2024-05-01T10:00:00.123456Z}), as Lease {@code renewTime} and Event {@code eventTime} are
 * written. Model fields stay {@link Instant}; annotate them with
 * {@code @JsonSerialize(using = MicroTime.Serializer.class)}. Reading accepts any RFC 3339 form.
 *
 * <p>Plain metav1.Time fields are written by the shared mapper as ISO instants: whole seconds
 * ({@code ...:00Z}) as Kubernetes writes them, with a fraction only when the Instant has one (still
 * valid RFC 3339, which Go and Kubernetes clients parse). Use {@link #nowSeconds()} for the
 * seconds precision kube-apiserver stores.
 */
public final class MicroTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private MicroTime() {
    }

    public static String format(Instant t) {
        return FORMAT.format(t.truncatedTo(ChronoUnit.MICROS));
    }

    /** Now at microsecond precision: what survives a MicroTime round trip unchanged. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Now at second precision: what survives a metav1.Time round trip in Kubernetes unchanged. */
    public static Instant nowSeconds() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    public static final class Serializer extends StdSerializer<Instant> {
        public Serializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(format(value));
        }
    }
}
