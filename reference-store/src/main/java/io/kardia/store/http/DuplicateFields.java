package io.kardia.store.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fields a request body names twice in one object ({@code fieldValidation}: Strict refuses them,
 * Warn reports them), found while the body is parsed: a JSON body is read into its tree and checked
 * for duplicates in one pass ({@link #readJson}). Duplicate keys of YAML bodies and of patch
 * documents are found by a scan of their own ({@link #inYaml}, {@link #inJson}).
 */
final class DuplicateFields {
    private static final JsonFactory YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLFactory();

    private DuplicateFields() {
    }

    /** A parsed body and the paths of the fields it names twice, in document order. */
    record Parsed(JsonNode tree, List<String> duplicates) {
    }

    /**
     * Parses JSON into a tree exactly as {@link Json#tree(byte[])} does (same mapper, same limits;
     * a later duplicate's value wins), noting duplicate fields on the way.
     */
    static Parsed readJson(byte[] json) {
        try (Tracking p = new Tracking(Json.mapper().getFactory().createParser(json))) {
            JsonNode tree = Json.mapper().readTree(p);
            return new Parsed(tree, p.duplicates);
        } catch (IOException e) {
            Json.tree(json); // malformed: the error as every JSON body reports it
            throw new CodecException("invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Paths of the fields a JSON document names twice in one object, in document order ([] when malformed). */
    static List<String> inJson(byte[] json) {
        return scan(Json.mapper().getFactory(), json);
    }

    /** Paths of the fields a YAML document names twice in one mapping, in document order. */
    static List<String> inYaml(byte[] yaml) {
        return scan(YAML, yaml);
    }

    private static List<String> scan(JsonFactory format, byte[] document) {
        try (Tracking p = new Tracking(format.createParser(document))) {
            while (p.nextToken() != null) {
                // the tracker sees every token
            }
            return p.duplicates;
        } catch (IOException | RuntimeException e) {
            return List.of(); // malformed: the decoder reports it
        }
    }

    /**
     * A parser that watches the tokens it hands out: every way of advancing goes through
     * {@link #nextToken()}, so whoever reads (Jackson's tree reader included) is observed.
     */
    private static final class Tracking extends JsonParserDelegate {
        final List<String> duplicates = new ArrayList<>();
        private final Deque<Set<String>> seen = new ArrayDeque<>();
        private final Deque<String> paths = new ArrayDeque<>();
        private final Deque<int[]> arrayIndexes = new ArrayDeque<>();
        private String field;

        Tracking(JsonParser p) {
            super(p);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = delegate.nextToken();
            if (t != null) {
                observe(t);
            }
            return t;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.FIELD_NAME ? nextToken() : t;
        }

        @Override
        public String nextFieldName() throws IOException {
            return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
        }

        @Override
        public boolean nextFieldName(SerializableString str) throws IOException {
            return nextToken() == JsonToken.FIELD_NAME && str.getValue().equals(currentName());
        }

        @Override
        public String nextTextValue() throws IOException {
            return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
        }

        @Override
        public int nextIntValue(int defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
        }

        @Override
        public long nextLongValue(long defaultValue) throws IOException {
            return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
        }

        @Override
        public Boolean nextBooleanValue() throws IOException {
            JsonToken t = nextToken();
            return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
        }

        @Override
        public JsonParser skipChildren() throws IOException {
            JsonToken t = currentToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return this;
            }
            int open = 1;
            while (open > 0) {
                JsonToken next = nextToken();
                if (next == null) {
                    return this;
                }
                if (next.isStructStart()) {
                    open++;
                } else if (next.isStructEnd()) {
                    open--;
                }
            }
            return this;
        }

        private void observe(JsonToken t) throws IOException {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    paths.push(childPath());
                    if (t == JsonToken.START_OBJECT) {
                        seen.push(new HashSet<>());
                        arrayIndexes.push(new int[] {-1});
                    } else {
                        seen.push(Set.of());
                        arrayIndexes.push(new int[] {0});
                    }
                    field = null;
                }
                case END_OBJECT, END_ARRAY -> {
                    seen.pop();
                    paths.pop();
                    arrayIndexes.pop();
                    if (!arrayIndexes.isEmpty() && arrayIndexes.peek()[0] >= 0) {
                        arrayIndexes.peek()[0]++;
                    }
                    field = null;
                }
                case FIELD_NAME -> {
                    field = delegate.currentName();
                    if (!seen.isEmpty() && !seen.peek().add(field)) {
                        String parent = paths.peek();
                        duplicates.add(parent.isEmpty() ? field : parent + "." + field);
                    }
                }
                default -> {
                    if (!arrayIndexes.isEmpty() && arrayIndexes.peek()[0] >= 0) {
                        arrayIndexes.peek()[0]++;
                    }
                }
            }
        }

        private String childPath() {
            if (paths.isEmpty()) {
                return "";
            }
            String parent = paths.peek();
            int index = arrayIndexes.peek()[0];
            if (index >= 0) {
                return parent + "[" + index + "]";
            }
            return parent.isEmpty() ? field : parent + "." + field;
        }
    }
}
