package io.kardia.store.http;

import java.util.ArrayList;
import java.util.List;

/**
 * The alternatives of an {@code Accept} header in the client's order, with the {@code as}, {@code g}
 * and {@code v} parameters kube clients use to ask for another shape (Table, PartialObjectMetadata).
 */
record AcceptAlternatives(String media, String as, String group, String version) {

    static List<AcceptAlternatives> parse(String accept) {
        List<AcceptAlternatives> out = new ArrayList<>();
        for (String alternative : accept.split(",")) {
            String[] parts = alternative.trim().split(";");
            String as = null;
            String v = null;
            String g = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                if (kv.length == 2) {
                    switch (kv[0].trim()) {
                        case "as" -> as = kv[1].trim();
                        case "v" -> v = kv[1].trim();
                        case "g" -> g = kv[1].trim();
                        default -> {
                            // q=... and the like do not matter here
                        }
                    }
                }
            }
            out.add(new AcceptAlternatives(parts[0].trim(), as, g, v));
        }
        return out;
    }

    /** Whether the media type admits JSON. */
    boolean json() {
        return media.equals("application/json") || media.equals("*/*") || media.equals("application/*");
    }

    /** Whether this alternative asks for {@code kind} in meta.k8s.io v1 or v1beta1. */
    boolean asMeta(String kind) {
        return kind.equals(as) && "meta.k8s.io".equals(group) && ("v1".equals(version) || "v1beta1".equals(version));
    }
}
