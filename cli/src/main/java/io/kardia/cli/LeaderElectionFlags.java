package io.kardia.cli;

import io.kardia.controllers.ControllerManager;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.leader.LeadershipLossPolicy;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The controller manager's leader election: what it does on losing its lease and the lease's
 * timings (kube-controller-manager's flag names and defaults). Flags of {@code up} and {@code controllers}.
 */
final class LeaderElectionFlags {
    @Option(names = "--on-leader-loss", paramLabel = "exit|campaign", defaultValue = "exit", converter = Policy.class,
            description = "When the controller manager loses its leader lease: exit (default) stops the command with "
                    + "exit status 1 so a supervisor starts a fresh one (as kube-controller-manager does); campaign "
                    + "pauses the controllers and campaigns again, resuming with a full resync if it leads again.")
    LeadershipLossPolicy policy;

    @Option(names = "--leader-elect-lease-duration", paramLabel = "D", defaultValue = "15s", converter = GoDuration.class,
            description = "How long a standby waits after the leader's last renewal before taking over "
                    + "(whole seconds; default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--leader-elect-renew-deadline", paramLabel = "D", defaultValue = "10s", converter = GoDuration.class,
            description = "How long the leader retries a failed renewal before it stops leading; shorter than the "
                    + "lease duration (default: ${DEFAULT-VALUE}).")
    Duration renewDeadline;

    @Option(names = "--leader-elect-retry-period", paramLabel = "D", defaultValue = "2s", converter = GoDuration.class,
            description = "Wait between attempts to acquire or renew the lease (default: ${DEFAULT-VALUE}).")
    Duration retryPeriod;

    /** The manager's lease with these timings; inconsistent timings are a command-line error (exit 2). */
    LeaderElectionConfig config(CommandLine cl) {
        try {
            return ControllerManager.leaderElection().withTimings(leaseDuration, renewDeadline, retryPeriod);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
    }

    /** {@code exit} or {@code campaign}; anything else is a command-line error (exit 2). */
    static final class Policy implements ITypeConverter<LeadershipLossPolicy> {
        @Override
        public LeadershipLossPolicy convert(String value) {
            return switch (value) {
                case "exit" -> LeadershipLossPolicy.EXIT;
                case "campaign" -> LeadershipLossPolicy.CAMPAIGN_AGAIN;
                default -> throw new TypeConversionException("must be exit or campaign, got '" + value + "'");
            };
        }
    }

    /** A positive duration as Go writes one (what kube's flags take): {@code 15s}, {@code 500ms}, {@code 1m30s}. */
    static final class GoDuration implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher m = PART.matcher(value);
            Duration total = Duration.ZERO;
            int at = 0;
            while (at < value.length() && m.find(at) && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                at = m.end();
            }
            if (value.isEmpty() || at != value.length() || total.isZero()) {
                throw new TypeConversionException("must be a positive duration such as 15s, 500ms or 1m30s, got '"
                        + value + "'");
            }
            return total;
        }
    }
}
