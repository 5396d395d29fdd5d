package io.kardia.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static Instant next(String schedule, ZoneId zone, String after) {
        return CronSchedule.parse(schedule, zone).next(Instant.parse(after)).orElseThrow();
    }

    @Test
    void fiveFieldsAndDescriptors() {
        assertThat(next("* * * * *", UTC, "2026-03-01T10:00:30Z")).isEqualTo("2026-03-01T10:01:00Z");
        assertThat(next("*/15 * * * *", UTC, "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T10:15:00Z");
        assertThat(next("@hourly", UTC, "2026-03-01T10:00:00Z")).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(next("@daily", UTC, "2026-03-01T10:00:00Z")).isEqualTo("2026-03-02T00:00:00Z");
        assertThat(next("@weekly", UTC, "2026-03-04T10:00:00Z")).as("Sundays").isEqualTo("2026-03-08T00:00:00Z");
        assertThat(next("@yearly", UTC, "2026-03-01T10:00:00Z")).isEqualTo("2027-01-01T00:00:00Z");
        assertThat(next("0 12 ? * MON", UTC, "2026-03-01T10:00:00Z")).as("? and names").isEqualTo("2026-03-02T12:00:00Z");
        assertThat(next("@every 90s", UTC, "2026-03-01T10:00:00.5Z")).isEqualTo("2026-03-01T10:01:30Z");
    }

    @Test
    void bothDayFieldsRestrictedMeansEither() {
        // 2026-03-02 is a Monday: "the 1st of the month or a Monday".
        assertThat(next("0 9 1 * 1", UTC, "2026-03-01T10:00:00Z")).isEqualTo("2026-03-02T09:00:00Z");
    }

    @Test
    void timesAreComputedInTheTimeZone() {
        assertThat(next("0 9 * * *", ZoneId.of("Europe/Paris"), "2026-01-10T00:00:00Z")).isEqualTo("2026-01-10T08:00:00Z");
        assertThat(next("0 9 * * *", ZoneId.of("Europe/Paris"), "2026-07-10T00:00:00Z")).isEqualTo("2026-07-10T07:00:00Z");
    }

    @Test
    void invalidSchedulesSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CronSchedule.parse("* * *", UTC)).hasMessageContaining("expected exactly 5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("@fortnightly", UTC)).hasMessageContaining("unrecognized descriptor");
        assertThatThrownBy(() -> CronSchedule.parse("TZ=UTC * * * * *", UTC)).hasMessageContaining("spec.timeZone");
        assertThatThrownBy(() -> CronSchedule.parse("", UTC)).hasMessageContaining("empty");
    }

    @Test
    void jobsAreNamedAfterTheScheduledMinute() {
        assertThat(CronJobController.jobName("backup", Instant.parse("2026-03-01T10:01:00Z")))
                .isEqualTo("backup-" + Instant.parse("2026-03-01T10:01:00Z").getEpochSecond() / 60);
    }
}
