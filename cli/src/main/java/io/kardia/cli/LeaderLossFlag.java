package io.kardia.cli;

import io.kardia.runtime.leader.LeadershipLossPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What the controller manager does when it loses its leader lease: the flag of {@code up} and {@code controllers}. */
final class LeaderLossFlag {
    @Option(names = "--on-leader-loss", paramLabel = "exit|campaign", defaultValue = "exit", converter = Policy.class,
            description = "When the controller manager loses its leader lease: exit (default) stops the command with "
                    + "exit status 1 so a supervisor starts a fresh one (as kube-controller-manager does); campaign "
                    + "pauses the controllers and campaigns again, resuming with a full resync if it leads again.")
    LeadershipLossPolicy policy;

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
}
