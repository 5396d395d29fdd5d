package io.kardia.store.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ResourceTypes;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CronJob's schedule and time zone are checked as kube-apiserver checks them (robfig/cron's
 * standard parser, the IANA time zone database), with its wording, on every write path; run
 * against both transports by its subclasses.
 */
abstract class CronJobValidationContract {
    private KubeClient client;

    /** A client of a fresh store. */
    abstract KubeClient newClient();

    abstract void closeStore();

    @BeforeEach
    void setUp() {
        client = newClient();
    }

    @AfterEach
    void tearDown() {
        client.close();
        closeStore();
    }

    private ResourceClient<GenericObject> cronJobs() {
        return client.resources(ResourceTypes.CRON_JOB);
    }

    private static GenericObject cronJob(String name, String schedule, String timeZone) {
        GenericObject cj = Json.fromTree(Yaml.tree("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: %s, namespace: default}
                spec:
                  jobTemplate:
                    spec:
                      template:
                        spec:
                          restartPolicy: OnFailure
                          containers: [{name: c, image: busybox}]
                """.formatted(name)), GenericObject.class).withAt("spec.schedule", schedule);
        return timeZone == null ? cj : cj.withAt("spec.timeZone", timeZone);
    }

    /** The causes of a refused write, as {@code field: message}. */
    private static List<String> refused(Supplier<?> write) {
        KubeApiException e = catchThrowableOfType(KubeApiException.InvalidException.class, write::get);
        assertThat(e).as("the write is refused as Invalid").isNotNull();
        assertThat(e.code()).isEqualTo(422);
        return e.status().details().causes().stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    @Test
    void unparseableSchedulesAreRefusedWithTheParsersWording() {
        String[][] cases = {
                {"61 * * * *", "end of range (61) above maximum (59): 61"},
                {"* 24 * * *", "end of range (24) above maximum (23): 24"},
                {"* * 0 * *", "beginning of range (0) below minimum (1): 0"},
                {"* * * 13 *", "end of range (13) above maximum (12): 13"},
                {"* * * * 7", "end of range (7) above maximum (6): 7"},
                {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
                {"*/0 * * * *", "step of range should be a positive number: */0"},
                {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
                {"*/2/3 * * * *", "too many slashes: */2/3"},
                {"x * * * *", "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax"},
                {"* * * * funday", "failed to parse int from funday: strconv.Atoi: parsing \"funday\": invalid syntax"},
                {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
                {"0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"},
                {"@fortnightly", "unrecognized descriptor: @fortnightly"},
                {"@every 5 minutes", "failed to parse duration @every 5 minutes: time: invalid duration \"5 minutes\""},
        };
        for (String[] c : cases) {
            assertThat(refused(() -> cronJobs().create(cronJob("bad", c[0], null))))
                    .as(c[0])
                    .containsExactly("spec.schedule: Invalid value: \"" + c[0] + "\": " + c[1]);
        }
        assertThat(cronJobs().list("default").items()).as("nothing was stored").isEmpty();
    }

    @Test
    void kubernetesSchedulesAndDescriptorsAreAccepted() {
        List<String> schedules = List.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight",
                "@hourly", "@every 1h30m", "@every 90s", "0 3 * * mon-fri", "*/15 0-6 1,15 jan-jun ?", "0 0 * * SUN",
                "5/10 * * * *", "59 23 31 12 6");
        for (int i = 0; i < schedules.size(); i++) {
            GenericObject created = cronJobs().create(cronJob("ok-" + i, schedules.get(i), null));
            assertThat(created.at("spec.schedule", String.class)).contains(schedules.get(i));
        }
        assertThat(cronJobs().create(cronJob("zoned", "0 9 * * *", "America/New_York")).at("spec.timeZone", String.class))
                .contains("America/New_York");
        assertThat(cronJobs().create(cronJob("utc", "0 9 * * *", "UTC")).metadata().uid()).isNotEmpty();
        assertThat(cronJobs().create(cronJob("etc", "0 9 * * *", "Etc/GMT+5")).metadata().uid()).isNotEmpty();
    }

    @Test
    void unknownTimeZonesAreRefused() {
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "* * * * *", "Mars/Olympus_Mons"))))
                .containsExactly("spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "* * * * *", "+05:00"))))
                .containsExactly("spec.timeZone: Invalid value: \"+05:00\": unknown time zone +05:00");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "* * * * *", "../etc/passwd"))))
                .containsExactly("spec.timeZone: Invalid value: \"../etc/passwd\": unknown time zone ../etc/passwd");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "* * * * *", "Local"))))
                .containsExactly("spec.timeZone: Invalid value: \"Local\": "
                        + "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "* * * * *", ""))))
                .containsExactly("spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string");
    }

    @Test
    void aTimeZoneInsideTheScheduleIsRefused() {
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "TZ=UTC 0 * * * *", null))))
                .containsExactly("spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": "
                        + "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "CRON_TZ=Europe/Berlin 0 * * * *", "Europe/Berlin"))))
                .containsExactly("spec.schedule: Invalid value: \"CRON_TZ=Europe/Berlin 0 * * * *\": "
                        + "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        assertThat(refused(() -> cronJobs().create(cronJob("bad", "CRON_TZ=Nowhere/Land 0 * * * *", null))))
                .containsExactly(
                        "spec.schedule: Invalid value: \"CRON_TZ=Nowhere/Land 0 * * * *\": "
                                + "provided bad location Nowhere/Land: unknown time zone Nowhere/Land",
                        "spec.schedule: Invalid value: \"CRON_TZ=Nowhere/Land 0 * * * *\": "
                                + "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    }

    @Test
    void everyWritePathChecksTheScheduleAndTheTimeZone() {
        GenericObject stored = cronJobs().create(cronJob("nightly", "0 3 * * *", "Europe/Paris"));
        String bad = "0 25 * * *";
        String why = "spec.schedule: Invalid value: \"0 25 * * *\": end of range (25) above maximum (23): 25";

        assertThat(refused(() -> cronJobs().update(stored.withAt("spec.schedule", bad)))).containsExactly(why);
        assertThat(refused(() -> cronJobs().patch("default", "nightly", PatchType.MERGE,
                "{\"spec\":{\"schedule\":\"" + bad + "\"}}"))).containsExactly(why);
        assertThat(refused(() -> cronJobs().patch("default", "nightly", PatchType.JSON,
                "[{\"op\":\"replace\",\"path\":\"/spec/schedule\",\"value\":\"" + bad + "\"}]"))).containsExactly(why);
        assertThat(refused(() -> cronJobs().patch("default", "nightly", PatchType.STRATEGIC,
                "{\"spec\":{\"schedule\":\"" + bad + "\"}}"))).containsExactly(why);
        assertThat(refused(() -> cronJobs().apply(cronJob("nightly", bad, "Europe/Paris"), WriteOptions.apply("applier").withForce(true)))).containsExactly(why);
        assertThat(refused(() -> cronJobs().patch("default", "nightly", PatchType.MERGE,
                "{\"spec\":{\"timeZone\":\"Europe/Atlantis\"}}")))
                .containsExactly("spec.timeZone: Invalid value: \"Europe/Atlantis\": unknown time zone Europe/Atlantis");
        assertThat(refused(() -> cronJobs().apply(cronJob("nightly", "0 3 * * *", "Europe/Atlantis"), WriteOptions.apply("applier").withForce(true))))
                .containsExactly("spec.timeZone: Invalid value: \"Europe/Atlantis\": unknown time zone Europe/Atlantis");

        GenericObject after = cronJobs().get("default", "nightly");
        assertThat(after.metadata().resourceVersion()).as("no refused write was stored")
                .isEqualTo(stored.metadata().resourceVersion());
        GenericObject fixed = cronJobs().patch("default", "nightly", PatchType.MERGE,
                "{\"spec\":{\"schedule\":\"@daily\",\"timeZone\":\"Asia/Tokyo\"}}");
        assertThat(fixed.at("spec.timeZone", String.class)).contains("Asia/Tokyo");
    }
}
