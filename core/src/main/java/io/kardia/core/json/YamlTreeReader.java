package io.kardia.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Builds JSON trees from SnakeYAML's event stream (not its object constructor, which knows Java
 * types we must never instantiate), expanding aliases within {@link Yaml}'s budget.
 */
final class YamlTreeReader {
    private static final String TAG_PREFIX = "tag:yaml.org,2002:";
    private static final Pattern INT = Pattern.compile("[-+]?(0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)");
    private static final Pattern FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?");

    private final ParserImpl parser;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int aliases;
    private long expanded;

    YamlTreeReader(String yaml, LoaderOptions options) {
        this.parser = new ParserImpl(new StreamReader(yaml), options);
    }

    List<JsonNode> documents() {
        List<JsonNode> docs = new ArrayList<>();
        expect(Event.ID.StreamStart);
        while (!parser.checkEvent(Event.ID.StreamEnd)) {
            Event start = parser.getEvent();
            if (!start.is(Event.ID.DocumentStart)) {
                throw error("expected the start of a document", start.getStartMark());
            }
            JsonNode doc = parser.checkEvent(Event.ID.DocumentEnd) ? nodes.nullNode() : value(parser.getEvent(), 1);
            expect(Event.ID.DocumentEnd);
            anchors.clear(); // anchors do not cross documents
            if (!doc.isNull()) {
                docs.add(doc);
            }
        }
        return docs;
    }

    private void expect(Event.ID id) {
        Event e = parser.getEvent();
        if (!e.is(id)) {
            throw error("expected " + id + " but found " + e.getEventId(), e.getStartMark());
        }
    }

    private JsonNode value(Event e, int depth) {
        if (depth > Json.MAX_NESTING_DEPTH) {
            throw error("YAML nesting is deeper than " + Json.MAX_NESTING_DEPTH + " levels", e.getStartMark());
        }
        if (e instanceof AliasEvent alias) {
            return alias(alias);
        }
        JsonNode node;
        if (e instanceof ScalarEvent s) {
            node = scalar(s);
        } else if (e.is(Event.ID.MappingStart)) {
            node = mapping((CollectionStartEvent) e, depth);
        } else if (e.is(Event.ID.SequenceStart)) {
            node = sequence(depth);
        } else {
            throw error("unexpected " + e.getEventId(), e.getStartMark());
        }
        String anchor = ((NodeEvent) e).getAnchor();
        if (anchor != null) {
            anchors.put(anchor, node);
        }
        return node;
    }

    private JsonNode alias(AliasEvent e) {
        JsonNode target = anchors.get(e.getAnchor());
        if (target == null) {
            throw error("YAML alias *" + e.getAnchor() + " refers to an unknown anchor", e.getStartMark());
        }
        if (++aliases > Yaml.MAX_ALIASES) {
            throw error("YAML uses more than " + Yaml.MAX_ALIASES + " aliases; refusing to expand (possible alias bomb)",
                    e.getStartMark());
        }
        expanded += size(target, Yaml.MAX_EXPANDED_NODES - expanded + 1);
        if (expanded > Yaml.MAX_EXPANDED_NODES) {
            throw error("YAML aliases expand to more than " + Yaml.MAX_EXPANDED_NODES
                    + " nodes; refusing to expand (possible alias bomb)", e.getStartMark());
        }
        return target.isContainerNode() ? target.deepCopy() : target;
    }

    /** Node count, stopping once {@code limit} is passed. */
    private static long size(JsonNode n, long limit) {
        long count = 1;
        Iterator<JsonNode> it = n.elements();
        while (it.hasNext() && count <= limit) {
            count += size(it.next(), limit - count);
        }
        return count;
    }

    private ObjectNode mapping(CollectionStartEvent start, int depth) {
        ObjectNode o = nodes.objectNode();
        List<JsonNode> merges = new ArrayList<>();
        while (!parser.checkEvent(Event.ID.MappingEnd)) {
            Event k = parser.getEvent();
            if (!(k instanceof ScalarEvent key)) {
                throw error("YAML mapping keys must be scalars", k.getStartMark());
            }
            JsonNode v = value(parser.getEvent(), depth + 1);
            if (key.isPlain() && key.getValue().equals("<<")) {
                merges.add(v);
            } else {
                o.set(key.getValue(), v);
            }
        }
        parser.getEvent();
        // Merge keys: explicit keys win, then earlier merged maps over later ones.
        for (JsonNode m : merges) {
            List<JsonNode> sources = new ArrayList<>();
            if (m.isArray()) {
                m.forEach(sources::add);
            } else {
                sources.add(m);
            }
            for (JsonNode s : sources) {
                if (!s.isObject()) {
                    throw error("YAML merge key '<<' needs a mapping or a list of mappings", start.getStartMark());
                }
                s.properties().forEach(en -> {
                    if (!o.has(en.getKey())) {
                        o.set(en.getKey(), en.getValue());
                    }
                });
            }
        }
        return o;
    }

    private ArrayNode sequence(int depth) {
        ArrayNode a = nodes.arrayNode();
        while (!parser.checkEvent(Event.ID.SequenceEnd)) {
            a.add(value(parser.getEvent(), depth + 1));
        }
        parser.getEvent();
        return a;
    }

    private JsonNode scalar(ScalarEvent s) {
        String v = s.getValue();
        String tag = s.getTag();
        if (tag != null && tag.startsWith(TAG_PREFIX)) {
            String t = tag.substring(TAG_PREFIX.length());
            return switch (t) {
                case "str", "binary", "timestamp" -> nodes.textNode(t.equals("binary") ? v.replaceAll("\\s", "") : v);
                case "null" -> nodes.nullNode();
                default -> {
                    JsonNode r = resolvePlain(v);
                    if (r.isTextual()) {
                        throw error("\"" + v + "\" is not a valid !!" + t, s.getStartMark());
                    }
                    yield r;
                }
            };
        }
        if (!s.isPlain() || tag != null) {
            return nodes.textNode(v); // quoted, block, or with an application tag: a string
        }
        return resolvePlain(v);
    }

    private JsonNode resolvePlain(String v) {
        switch (v) {
            case "", "~", "null", "Null", "NULL" -> {
                return nodes.nullNode();
            }
            case "true", "True", "TRUE" -> {
                return nodes.booleanNode(true);
            }
            case "false", "False", "FALSE" -> {
                return nodes.booleanNode(false);
            }
            default -> {
            }
        }
        if (INT.matcher(v).matches()) {
            JsonNode n = integer(v);
            if (n != null) {
                return n;
            }
        }
        if (FLOAT.matcher(v).matches()) {
            try {
                return nodes.numberNode(Double.parseDouble(v.replace("_", "")));
            } catch (NumberFormatException e) {
                return nodes.textNode(v);
            }
        }
        return nodes.textNode(v);
    }

    /** go-yaml v2 / Go {@code ParseInt(s, 0, 64)}: 0x hex, 0o or leading-0 octal, 0b binary. */
    private JsonNode integer(String v) {
        String s = v.replace("_", "");
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) {
            s = s.substring(1);
        }
        int radix = 10;
        if (s.startsWith("0x")) {
            radix = 16;
            s = s.substring(2);
        } else if (s.startsWith("0o")) {
            radix = 8;
            s = s.substring(2);
        } else if (s.startsWith("0b")) {
            radix = 2;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return null;
        }
        BigInteger n;
        try {
            n = new BigInteger(s, radix);
        } catch (NumberFormatException e) {
            return null; // e.g. "08": not octal; Go then reads it as a float
        }
        if (negative) {
            n = n.negate();
        }
        if (n.bitLength() < 32) {
            return nodes.numberNode(n.intValue());
        }
        if (n.bitLength() < 64) {
            return nodes.numberNode(n.longValue());
        }
        return nodes.numberNode(n);
    }

    private static CodecException error(String message, Mark mark) {
        String where = mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
        return new CodecException(message + where);
    }
}
