package io.kardia.kubeapi.generator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merge markers Kubernetes writes on its Go types and fields ({@code +listType},
 * {@code +listMapKey}, {@code +mapType}, {@code +structType}, {@code +patchStrategy},
 * {@code +patchMergeKey}, {@code +default}) — the source of kube-apiserver's
 * {@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}, {@code x-kubernetes-map-type},
 * {@code x-kubernetes-patch-strategy} and {@code x-kubernetes-patch-merge-key}. The release's
 * {@code generated.proto} files carry the Go doc comments, markers included; protoc copies them into
 * the Java client's generated protobuf sources as javadoc, which is where they are read here (the
 * {@code -sources} jar of {@code client-java-proto}).
 *
 * <p>Each field's javadoc ends with its declaration ({@code <code>repeated ... containers = 2;</code>});
 * a message's javadoc ends with {@code Protobuf type {@code k8s.io...PodSpec}}; accessors repeat a
 * field's comment, so a field's markers are the union of its blocks.
 */
final class ProtoMarkers {
    static final String SOURCES_PACKAGE = "io/kubernetes/client/proto/";
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern INTERFACE = Pattern.compile("@@protoc_insertion_point\\(interface_extends:([\\w.]+)\\)");
    private static final Pattern MESSAGE = Pattern.compile("Protobuf type \\{@code ([\\w.]+)}");
    private static final Pattern FIELD = Pattern.compile("<code>(?:optional |repeated |required )?(?:map&lt;[^;]*?&gt;|[\\w.]+) (\\w+) = \\d+;</code>");
    private static final Pattern MARKER = Pattern.compile("^\\s*\\*?\\s*\\+(listType|listMapKey|mapType|structType|patchStrategy|patchMergeKey|default)=(.*?)\\s*$",
            Pattern.MULTILINE);

    /** The markers of one type or field: marker name to its values, in order ({@code listMapKey} can repeat). */
    record Markers(Map<String, List<String>> values) {
        String one(String marker) {
            List<String> v = values.get(marker);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        List<String> all(String marker) {
            return values.getOrDefault(marker, List.of());
        }

        boolean isEmpty() {
            return values.isEmpty();
        }
    }

    /** What was read: type markers by full protobuf message name, field markers by {@code Message.field} (protobuf field name). */
    record All(Map<String, Markers> types, Map<String, Markers> fields) {
        Markers type(String message) {
            return types.getOrDefault(message, new Markers(Map.of()));
        }

        Markers field(String message, String field) {
            return fields.getOrDefault(message + "." + field, new Markers(Map.of()));
        }
    }

    private ProtoMarkers() {
    }

    static All read(JarFile sources) throws IOException {
        Map<String, Map<String, List<String>>> types = new HashMap<>();
        Map<String, Map<String, List<String>>> fields = new HashMap<>();
        for (Enumeration<JarEntry> e = sources.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (!entry.getName().startsWith(SOURCES_PACKAGE) || !entry.getName().endsWith(".java")) {
                continue;
            }
            String source;
            try (InputStream in = sources.getInputStream(entry)) {
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            readFile(source, types, fields);
        }
        return new All(freeze(types), freeze(fields));
    }

    /** Walks the file's javadoc blocks and message markers in source order, tracking the message they belong to. */
    static void readFile(String source, Map<String, Map<String, List<String>>> types, Map<String, Map<String, List<String>>> fields) {
        TreeMap<Integer, String> interfaces = new TreeMap<>();
        for (Matcher i = INTERFACE.matcher(source); i.find(); ) {
            interfaces.put(i.start(), i.group(1));
        }
        String current = null;
        int last = 0;
        for (Matcher doc = JAVADOC.matcher(source); doc.find(); ) {
            // an OrBuilder interface (no javadoc of its own) starts a message before its fields' accessors
            Map.Entry<Integer, String> iface = interfaces.floorEntry(doc.start());
            if (iface != null && iface.getKey() >= last) {
                current = iface.getValue();
            }
            last = doc.end();
            String block = doc.group(1);
            Matcher message = MESSAGE.matcher(block);
            if (message.find()) {
                current = message.group(1);
                addMarkers(block, types.computeIfAbsent(current, k -> new LinkedHashMap<>()));
                continue;
            }
            Matcher field = FIELD.matcher(block);
            if (current != null && field.find()) {
                addMarkers(block, fields.computeIfAbsent(current + "." + field.group(1), k -> new LinkedHashMap<>()));
            }
        }
    }

    private static void addMarkers(String block, Map<String, List<String>> into) {
        int pre = block.indexOf("</pre>");
        String comment = pre < 0 ? "" : block.substring(0, pre);
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Matcher m = MARKER.matcher(comment); m.find(); ) {
            found.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(unescape(m.group(2)));
        }
        // accessors repeat the field's comment: keep the first block's values, not one copy per accessor
        found.forEach(into::putIfAbsent);
    }

    private static Map<String, Markers> freeze(Map<String, Map<String, List<String>>> in) {
        Map<String, Markers> out = new HashMap<>();
        in.forEach((k, v) -> {
            if (!v.isEmpty()) {
                Map<String, List<String>> copy = new LinkedHashMap<>();
                v.forEach((m, values) -> copy.put(m, List.copyOf(values)));
                out.put(k, new Markers(copy));
            }
        });
        return out;
    }

    /** protoc escapes HTML in javadoc. */
    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#64;", "@")
                .replace("&#47;", "/").replace("&#42;", "*").replace("&#92;", "\\").replace("&amp;", "&");
    }
}
