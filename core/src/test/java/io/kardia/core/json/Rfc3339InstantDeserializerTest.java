package io.kardia.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339InstantDeserializerTest {
    record Stamped(Instant at) {
    }

    @Test
    void agreesWithTheJdkParserOnRandomTimestampsOffsetsAndFractions() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
                    random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            ZoneOffset offset = random.nextInt(3) == 0 ? ZoneOffset.UTC
                    : ZoneOffset.ofTotalSeconds(random.nextInt(-17, 18) * 3600 + (random.nextBoolean() ? 1800 : 0));
            String text = OffsetDateTime.ofInstant(t, offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (text.startsWith("+") || text.startsWith("-")) {
                continue; // years beyond 9999 or before 0: not RFC 3339, the general parser's business
            }
            Instant parsed = Rfc3339InstantDeserializer.parse(text.toCharArray(), 0, text.length());
            assertThat(parsed).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
            assertThat(Json.fromString("{\"at\":\"" + text + "\"}", Stamped.class).at()).as(text).isEqualTo(parsed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-20T24:00:00Z",
            "2026-11-20 10:00:00Z", "2026-11-20T10:00:00", "2026-11-20T10:00:00.Z", "2026-11-20T10:00:00+2:00",
            "2026-11-20T10:00:00.1234567890Z", "2026-11-2OT10:00:00Z", "2026-11-20T10:00:00+01:00x"})
    void whatItDoesNotTakeGoesToTheGeneralParser(String text) {
        assertThat(Rfc3339InstantDeserializer.parse(text.toCharArray(), 0, text.length())).isNull();
        // and decoding gives what Jackson's own deserializer gives: an instant or a clear error
        Instant general;
        try {
            general = Json.mapper().copy().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .readValue("{\"at\":\"" + text + "\"}", Stamped.class).at();
        } catch (Exception e) {
            assertThatThrownBy(() -> Json.fromString("{\"at\":\"" + text + "\"}", Stamped.class))
                    .isInstanceOf(CodecException.class);
            return;
        }
        assertThat(Json.fromString("{\"at\":\"" + text + "\"}", Stamped.class).at()).isEqualTo(general);
    }

    @Test
    void numbersAndLeapSecondsStillDecodeAsBefore() {
        assertThat(Json.fromString("{\"at\":1700000000}", Stamped.class).at()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
        assertThat(Json.fromString("{\"at\":\"2026-11-20T10:00:00.5Z\"}", Stamped.class).at())
                .isEqualTo(Instant.parse("2026-11-20T10:00:00.500Z"));
        assertThat(Json.fromString("{\"at\":null}", Stamped.class).at()).isNull();
    }
}
