package io.kardia.simulator;

import io.kardia.core.model.Container;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a simulated pod's containers do once started, read from the pod's annotations (the same
 * for every container of the pod) and spec. The pod's {@code restartPolicy} decides what an exit
 * means: with {@code Never} the pod ends Succeeded (exit code 0) or Failed; with {@code OnFailure}
 * a non-zero exit restarts the container; with {@code Always} every exit does, so a container that
 * keeps exiting crash-loops (restart count grows, {@code CrashLoopBackOff} between restarts).
 *
 * @param runFor     how long a container runs before it exits; empty: it runs until deleted
 * @param exitCode   the exit code it exits with
 * @param readyAfter how long after each start it becomes ready: the largest of the
 *                   {@value #READY_AFTER} annotation and the containers' readiness and startup
 *                   probes' {@code initialDelaySeconds}
 * @param problems   annotations that could not be read (the pod runs with the defaults for them
 *                   and says so in its status message)
 */
public record SimulatedPodBehavior(Optional<Duration> runFor, int exitCode, Duration readyAfter, List<String> problems) {

    /** How long the containers run before they exit: a duration such as {@code 30s}, {@code 2m}, {@code 1m30s}, {@code 500ms}, or {@code forever}. */
    public static final String RUN_FOR = "kardia.io/sim-run-for";
    /** The exit code the containers exit with after {@value #RUN_FOR} (0 to 255; default 0). */
    public static final String EXIT_CODE = "kardia.io/sim-exit-code";
    /** How long after a start the containers become ready, e.g. {@code 20s} (default 0). */
    public static final String READY_AFTER = "kardia.io/sim-ready-after";
    /** The value of {@value #RUN_FOR} that means "until deleted" (what a pod not owned by a Job does by default). */
    public static final String FOREVER = "forever";

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    public SimulatedPodBehavior {
        problems = List.copyOf(problems);
    }

    /**
     * The behaviour of {@code pod}: its annotations, else the defaults — run until deleted, or for
     * {@code jobPodRunTime} (exit code 0) when a Job controls the pod.
     */
    public static SimulatedPodBehavior of(Pod pod, Duration jobPodRunTime) {
        Map<String, String> annotations = pod.metadata().annotations();
        List<String> problems = new ArrayList<>();
        Optional<Duration> runFor = ownedByJob(pod) ? Optional.of(jobPodRunTime) : Optional.empty();
        String run = annotations.get(RUN_FOR);
        if (run != null) {
            if (FOREVER.equals(run.trim())) {
                runFor = Optional.empty();
            } else {
                Optional<Duration> parsed = parseDuration(run);
                if (parsed.isPresent()) {
                    runFor = parsed;
                } else {
                    problems.add(RUN_FOR + ": '" + run + "' is neither a duration (such as 30s, 2m, 1m30s, 500ms) nor '"
                            + FOREVER + "'");
                }
            }
        }
        int exitCode = 0;
        String exit = annotations.get(EXIT_CODE);
        if (exit != null) {
            try {
                exitCode = Integer.parseInt(exit.trim());
                if (exitCode < 0 || exitCode > 255) {
                    problems.add(EXIT_CODE + ": " + exitCode + " is not an exit code (0 to 255)");
                    exitCode = 0;
                }
            } catch (NumberFormatException e) {
                problems.add(EXIT_CODE + ": '" + exit + "' is not an exit code (0 to 255)");
            }
        }
        Duration readyAfter = probeDelay(pod);
        String ready = annotations.get(READY_AFTER);
        if (ready != null) {
            Optional<Duration> parsed = parseDuration(ready);
            if (parsed.isPresent()) {
                readyAfter = parsed.get().compareTo(readyAfter) > 0 ? parsed.get() : readyAfter;
            } else {
                problems.add(READY_AFTER + ": '" + ready + "' is not a duration (such as 30s, 2m, 1m30s, 500ms)");
            }
        }
        return new SimulatedPodBehavior(runFor, exitCode, readyAfter, problems);
    }

    static boolean ownedByJob(Pod pod) {
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        return ref.isPresent() && "Job".equals(ref.get().kind()) && ref.get().apiVersion() != null
                && ref.get().apiVersion().startsWith("batch/");
    }

    /** The largest {@code initialDelaySeconds} of the containers' readiness and startup probes. */
    private static Duration probeDelay(Pod pod) {
        long max = 0;
        if (pod.spec() != null) {
            for (Container c : pod.spec().containers()) {
                for (String probe : List.of("readinessProbe", "startupProbe")) {
                    if (c.extra().get(probe) instanceof Map<?, ?> p && p.get("initialDelaySeconds") instanceof Number n) {
                        max = Math.max(max, n.longValue());
                    }
                }
            }
        }
        return Duration.ofSeconds(max);
    }

    /** A Go-style duration ({@code 1h}, {@code 1m30s}, {@code 1.5s}, {@code 500ms}), or empty if it is not one. */
    public static Optional<Duration> parseDuration(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION_PART.matcher(s);
        int pos = 0;
        double millis = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return Optional.empty();
            }
            double value = Double.parseDouble(m.group(1));
            millis += value * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            pos = m.end();
        }
        return millis > 1e15 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(millis)));
    }
}
