package io.kardia.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kardia.core.json.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * One or more kubeconfig files merged the way kubectl merges them: for clusters, users and
 * contexts the first file that defines a name wins, and so does the first file that sets
 * {@code current-context}. Every entry remembers its file, so relative paths resolve against that
 * file's directory and errors name it. Turn it into a {@link ClientConfig} with
 * {@link #toClientConfig()} or {@link #toClientConfig(String)}.
 *
 * <p>{@link #toString()} lists files and names only, never credentials.
 */
public final class KubeConfig {
    private static final Logger LOG = LoggerFactory.getLogger(KubeConfig.class);
    private static final ObjectMapper YAML = Json.configure(YAMLMapper.builder(YAMLFactory.builder()
            .loaderOptions(loaderOptions()).build()).build());

    private final List<Path> files;
    private final Map<String, Entry> clusters;
    private final Map<String, Entry> users;
    private final Map<String, Entry> contexts;
    private final String currentContext;

    /**
     * A named cluster, user or context: its body (the {@code cluster:}, {@code user:} or
     * {@code context:} object) and the file it came from. {@code toString} hides the body.
     */
    public record Entry(String name, JsonNode body, Path source) {
        @Override
        public String toString() {
            return "Entry[" + name + " in " + source + "]";
        }
    }

    private KubeConfig(List<Path> files, Map<String, Entry> clusters, Map<String, Entry> users,
                       Map<String, Entry> contexts, String currentContext) {
        this.files = List.copyOf(files);
        this.clusters = Collections.unmodifiableMap(clusters);
        this.users = Collections.unmodifiableMap(users);
        this.contexts = Collections.unmodifiableMap(contexts);
        this.currentContext = currentContext;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50); // no alias bombs
        options.setCodePointLimit(16 * 1024 * 1024);
        return options;
    }

    /** As kubectl: the files in {@code $KUBECONFIG}, or {@code ~/.kube/config}. */
    public static KubeConfig load() {
        return load(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** As kubectl, with the environment and home directory given (for tests). */
    public static KubeConfig load(Map<String, String> env, Path home) {
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            List<Path> paths = new ArrayList<>();
            for (String p : list.split(File.pathSeparator)) {
                if (!p.isBlank()) {
                    paths.add(Path.of(p.strip()));
                }
            }
            return load(paths);
        }
        return load(List.of(home.resolve(".kube").resolve("config")));
    }

    /**
     * Loads and merges these files in order. Files that do not exist are skipped (as kubectl
     * does); if none exists, or one cannot be read or parsed, this fails naming the file.
     */
    public static KubeConfig load(List<Path> paths) {
        List<Path> found = new ArrayList<>();
        Map<String, Entry> clusters = new LinkedHashMap<>();
        Map<String, Entry> users = new LinkedHashMap<>();
        Map<String, Entry> contexts = new LinkedHashMap<>();
        String current = null;
        for (Path path : paths) {
            Path file = path.toAbsolutePath().normalize();
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                LOG.debug("kubeconfig {} does not exist; skipped", file);
                continue;
            } catch (IOException e) {
                throw new KubeConfigException("cannot read kubeconfig " + file + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
            found.add(file);
            JsonNode root = parseYaml(text, file);
            mergeNamed(root, "clusters", "cluster", file, clusters);
            mergeNamed(root, "users", "user", file, users);
            mergeNamed(root, "contexts", "context", file, contexts);
            String cc = root.path("current-context").asText("");
            if (current == null && !cc.isEmpty()) {
                current = cc;
            }
        }
        if (found.isEmpty()) {
            throw new KubeConfigException("no kubeconfig found: none of " + paths + " exists");
        }
        return new KubeConfig(found, clusters, users, contexts, current);
    }

    /** One kubeconfig document; {@code source} names it in errors and anchors relative paths. */
    public static KubeConfig parse(String yaml, Path source) {
        Path file = source.toAbsolutePath().normalize();
        JsonNode root = parseYaml(yaml, file);
        Map<String, Entry> clusters = new LinkedHashMap<>();
        Map<String, Entry> users = new LinkedHashMap<>();
        Map<String, Entry> contexts = new LinkedHashMap<>();
        mergeNamed(root, "clusters", "cluster", file, clusters);
        mergeNamed(root, "users", "user", file, users);
        mergeNamed(root, "contexts", "context", file, contexts);
        String cc = root.path("current-context").asText("");
        return new KubeConfig(List.of(file), clusters, users, contexts, cc.isEmpty() ? null : cc);
    }

    private static JsonNode parseYaml(String text, Path file) {
        if (text.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            String detail = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    ? jpe.getOriginalMessage() : e.getMessage();
            // Only the parser's description: it may point at, but never quotes, the bad line.
            throw new KubeConfigException("kubeconfig " + file + " is not valid YAML: " + firstLine(detail), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Json.mapper().createObjectNode();
        }
        if (!root.isObject()) {
            throw new KubeConfigException("kubeconfig " + file + " is not a YAML mapping");
        }
        String kind = root.path("kind").asText("Config");
        if (!kind.isEmpty() && !kind.equals("Config")) {
            throw new KubeConfigException("kubeconfig " + file + " has kind \"" + kind + "\", expected \"Config\"");
        }
        return root;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void mergeNamed(JsonNode root, String listField, String bodyField, Path file,
                                   Map<String, Entry> into) {
        JsonNode list = root.get(listField);
        if (list == null || list.isNull() || (list.isTextual() && list.asText().isEmpty())) {
            return; // "users:" with nothing after it
        }
        if (!list.isArray()) {
            throw new KubeConfigException("kubeconfig " + file + ": field \"" + listField + "\" must be a list");
        }
        int i = 0;
        for (JsonNode item : list) {
            String name = item.path("name").asText("");
            if (name.isEmpty()) {
                throw new KubeConfigException("kubeconfig " + file + ": " + listField + "[" + i + "] has no name");
            }
            JsonNode body = item.get(bodyField);
            if (body != null && !body.isNull() && !body.isObject()) {
                throw new KubeConfigException("kubeconfig " + file + ": " + listField + "[" + i + "] (\"" + name
                        + "\") field \"" + bodyField + "\" must be a mapping");
            }
            into.putIfAbsent(name, new Entry(name, body == null || body.isNull()
                    ? Json.mapper().createObjectNode() : body, file));
            i++;
        }
    }

    public List<Path> files() {
        return files;
    }

    /** The context in force, or null when no file sets {@code current-context}. */
    public String currentContext() {
        return currentContext;
    }

    public Set<String> contextNames() {
        return contexts.keySet();
    }

    public Map<String, Entry> clusters() {
        return clusters;
    }

    public Map<String, Entry> users() {
        return users;
    }

    public Map<String, Entry> contexts() {
        return contexts;
    }

    /** The client configuration of {@code current-context}. */
    public ClientConfig toClientConfig() {
        if (currentContext == null) {
            throw new KubeConfigException("no current-context is set in " + files
                    + "; set one (kubectl config use-context NAME) or name a context; available: " + contexts.keySet());
        }
        return toClientConfig(currentContext);
    }

    /** The client configuration of a named context. */
    public ClientConfig toClientConfig(String contextName) {
        return new KubeConfigResolver(this).resolve(contextName);
    }

    @Override
    public String toString() {
        return "KubeConfig[files=" + files + ", current-context=" + currentContext + ", contexts=" + contexts.keySet()
                + ", clusters=" + clusters.keySet() + ", users=" + users.keySet() + "]";
    }
}
