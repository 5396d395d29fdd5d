package io.kardia.kubeapi.generator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The descriptions Kubernetes writes on its types and fields (the Go doc comments, carried into the
 * release's OpenAPI document and from there into the Java client's models as
 * {@code @ApiModel(description = ...)} and {@code @ApiModelProperty(value = ...)}), read from the
 * client's sources jar, with which fields are required ({@code @Nonnull}).
 */
final class ModelDocs {
    private static final String STRING = "\"((?:[^\"\\\\]++|\\\\.)*+)\"";
    private static final Pattern CLASS_DESCRIPTION = Pattern.compile("@ApiModel\\(description = " + STRING + "\\)");
    private static final Pattern FIELD = Pattern.compile(
            "SERIALIZED_NAME_\\w+ = " + STRING + ";\\s*@SerializedName\\(SERIALIZED_NAME_\\w+\\)\\s*((?:@[\\w.]+\\s*)*)private [^;=]*?(\\S+)\\s*(?:=[^;]*)?;");
    private static final Pattern PROPERTY = Pattern.compile(
            "@ApiModelProperty\\(([^\\n]*)\\)\\s*public [^\\n(]*? (?:get|is)(\\S+?)\\(\\)");
    private static final Pattern VALUE = Pattern.compile("value = " + STRING);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ModelDocs() {
    }

    /** Simple class name to {@code {description, fields: {json: description}, required: [json...]}}. */
    static Map<String, ObjectNode> read(JarFile sources) throws IOException {
        Map<String, ObjectNode> out = new HashMap<>();
        for (Enumeration<JarEntry> e = sources.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            String name = entry.getName();
            if (!name.startsWith(ModelFields.MODEL_PACKAGE) || !name.endsWith(".java")) {
                continue;
            }
            String source;
            try (InputStream in = sources.getInputStream(entry)) {
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            out.put(name.substring(ModelFields.MODEL_PACKAGE.length(), name.length() - ".java".length()), docs(source));
        }
        return out;
    }

    private static ObjectNode docs(String source) {
        ObjectNode docs = F.objectNode();
        Matcher c = CLASS_DESCRIPTION.matcher(source);
        if (c.find()) {
            docs.put("description", unescape(c.group(1)));
        }
        Map<String, String> jsonByJavaField = new HashMap<>();
        for (Matcher f = FIELD.matcher(source); f.find(); ) {
            String json = unescape(f.group(1));
            String javaField = f.group(3);
            jsonByJavaField.put(javaField.toLowerCase(java.util.Locale.ROOT), json);
            if (f.group(2).contains("Nonnull")) {
                docs.withArray("required").add(json);
            }
        }
        ObjectNode fields = docs.putObject("fields");
        for (Matcher p = PROPERTY.matcher(source); p.find(); ) {
            String json = jsonByJavaField.get(p.group(2).toLowerCase(java.util.Locale.ROOT));
            Matcher v = VALUE.matcher(p.group(1));
            if (json != null && v.find()) {
                fields.put(json, unescape(v.group(1)));
            }
        }
        return docs;
    }

    /** A Java string literal's content. */
    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 == s.length()) {
                out.append(ch);
                continue;
            }
            char next = s.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
