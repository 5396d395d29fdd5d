package io.kardia.crd.generator;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** Compiles Java sources with {@link CrdProcessor} through the JDK compiler API, into a directory. */
record Compilation(boolean success, List<String> errors, Path output) {

    static Compilation compile(Path output, Map<String, String> sources) throws IOException {
        return compile(output, sources, List.of());
    }

    static Compilation compile(Path output, Map<String, String> sources, List<String> options) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Files.createDirectories(output);
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            files.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(output));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, code) -> units.add(new Source(name, code)));
            List<String> arguments = new ArrayList<>(List.of("-classpath", System.getProperty("java.class.path"),
                    "--release", "21", "-proc:full"));
            arguments.addAll(options);
            JavaCompiler.CompilationTask task = compiler.getTask(null, files, diagnostics, arguments, null, units);
            task.setProcessors(List.of(new CrdProcessor()));
            boolean ok = task.call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.toList());
            return new Compilation(ok, errors, output);
        }
    }

    /** The generated CRD YAML of {@code <plural>.<group>}. */
    String crd(String name) throws IOException {
        return Files.readString(output.resolve("META-INF/kardia/crds/" + name + ".yaml"));
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
