package io.kardia.store.http;

import io.kardia.store.protobuf.KubeProtobufCodec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Picks the response format from the Accept header as kube-apiserver does: the media ranges in
 * the client's order of preference (q-values, then order), the first one the server can produce
 * wins. Only JSON and protobuf are told apart here: Table requests ({@code ;as=Table}) are
 * {@link TableConverter}'s, and a header naming nothing we produce gets JSON.
 */
final class ContentNegotiation {
    private ContentNegotiation() {
    }

    /** True when the client prefers {@code application/vnd.kubernetes.protobuf} to JSON. */
    static boolean prefersProtobuf(String accept) {
        if (accept == null || !accept.contains("protobuf")) {
            return false;
        }
        record Range(String media, double q, int order) {
        }
        List<Range> ranges = new ArrayList<>();
        String[] alternatives = accept.split(",");
        for (int i = 0; i < alternatives.length; i++) {
            String[] parts = alternatives[i].split(";");
            String media = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1.0;
            boolean other = false;
            for (int p = 1; p < parts.length; p++) {
                String[] kv = parts[p].trim().split("=", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                if (key.equals("q") && kv.length == 2) {
                    try {
                        q = Double.parseDouble(kv[1].trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else if (key.equals("as")) {
                    other = true; // a Table or other transformed form: not the plain object
                }
            }
            if (q > 0 && !other) {
                ranges.add(new Range(media, q, i));
            }
        }
        ranges.sort(Comparator.comparingDouble(Range::q).reversed().thenComparingInt(Range::order));
        for (Range r : ranges) {
            switch (r.media()) {
                case KubeProtobufCodec.MEDIA_TYPE -> {
                    return true;
                }
                case "application/json", "application/*", "*/*", "application/yaml" -> {
                    return false;
                }
                default -> {
                    // something we do not produce: the next preference decides
                }
            }
        }
        return false;
    }
}
