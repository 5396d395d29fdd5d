package io.kardia.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The valid name closest to a mistyped one, by edit distance with transpositions (so {@code --prot}
 * finds {@code --port}, which picocli's own bigram similarity does not), if it is close enough to
 * be what was meant.
 */
final class ClosestName {
    private ClosestName() {
    }

    static Optional<String> among(String typed, Collection<String> valid) {
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        return valid.stream()
                .filter(name -> name.length() > 2 || typed.length() <= 2) // never suggest -h for --hots
                .map(name -> new Scored(name, distance(typed, name)))
                .filter(s -> s.distance() <= allowed)
                .min(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .map(Scored::name);
    }

    private record Scored(String name, int distance) {
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
