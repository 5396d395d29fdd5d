package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * YAML codec with the same settings as {@link Json}: read one document or a stream of
 * {@code ---}-separated documents, write one or many.
 *
 * <p>Reading is bounded against hostile input: documents larger than {@link #MAX_CODE_POINTS},
 * nesting deeper than {@link Json#MAX_NESTING_DEPTH}, more than {@link #MAX_ALIASES} aliases or an
 * alias expansion beyond {@link #MAX_EXPANDED_NODES} nodes (the "billion laughs" bomb) fail fast with
 * a {@link CodecException}. Aliases within those limits are expanded, and {@code <<} merge keys
 * applied, as Kubernetes' YAML reader does. Plain scalars resolve as in Kubernetes' reader
 * (go-yaml v2) for numbers: {@code 0644} is octal 420, {@code 0x1F} hex, {@code 1_000} 1000;
 * only {@code true}/{@code false} are booleans ({@code yes}, {@code on}... stay strings, YAML 1.2
 * style, where go-yaml v2 would make them booleans and then fail on string fields); timestamps
 * stay strings.
 */
public final class Yaml {
    /** Largest YAML input accepted, in code points (3 MB: kube-apiserver's request limit). */
    public static final int MAX_CODE_POINTS = 3 * 1024 * 1024;
    /** Aliases per stream; real manifests use a handful at most. */
    public static final int MAX_ALIASES = 100;
    /** Nodes that alias expansion may add per stream. */
    public static final int MAX_EXPANDED_NODES = 100_000;

    private static final YAMLMapper MAPPER = Json.configure(YAMLMapper.builder(newFactory())
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build());

    private Yaml() {
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setNestingDepthLimit(Json.MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        return options;
    }

    private static YAMLFactory newFactory() {
        YAMLFactory f = YAMLFactory.builder().loaderOptions(loaderOptions()).build();
        f.setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                .maxStringLength(20_000_000)
                .build());
        return f;
    }

    /** The shared YAML mapper (writing; for reading use the methods here, which enforce the limits). */
    public static YAMLMapper mapper() {
        return MAPPER;
    }

    /** Exactly one document as a tree. */
    public static JsonNode tree(String yaml) {
        List<JsonNode> docs = trees(yaml);
        if (docs.size() != 1) {
            throw new CodecException("expected exactly one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    public static JsonNode tree(byte[] yaml) {
        return tree(new String(yaml, StandardCharsets.UTF_8));
    }

    /** Every non-empty document of a {@code ---}-separated stream, in order. */
    public static List<JsonNode> trees(String yaml) {
        if (yaml.length() > MAX_CODE_POINTS && yaml.codePointCount(0, yaml.length()) > MAX_CODE_POINTS) {
            throw new CodecException("YAML input is larger than " + MAX_CODE_POINTS + " characters");
        }
        try {
            return new YamlTreeReader(yaml, loaderOptions()).documents();
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            // SnakeYAML reports syntax errors and its own limits as unchecked exceptions, with the line.
            throw new CodecException("invalid YAML: " + e.getMessage().strip(), e);
        }
    }

    public static List<JsonNode> trees(byte[] yaml) {
        return trees(new String(yaml, StandardCharsets.UTF_8));
    }

    /** Exactly one document decoded as {@code type}. */
    public static <T> T read(String yaml, Class<T> type) {
        return Json.fromTree(tree(yaml), type);
    }

    public static <T> T read(byte[] yaml, Class<T> type) {
        return Json.fromTree(tree(yaml), type);
    }

    /** Every document decoded as {@code type}. */
    public static <T> List<T> readAll(String yaml, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (JsonNode doc : trees(yaml)) {
            out.add(Json.fromTree(doc, type));
        }
        return out;
    }

    /** One document, no {@code ---} marker. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot encode " + value.getClass().getSimpleName() + " as YAML: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Several documents separated by {@code ---} lines. */
    public static String writeAll(List<?> values) {
        StringWriter out = new StringWriter();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write("---\n");
            }
            out.write(write(values.get(i)));
        }
        return out.toString();
    }
}
