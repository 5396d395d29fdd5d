package io.kardia.benchmarks.operator;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * What kardia-crd-generator adds to a clean build: compiles a project's main sources once, in
 * this (fresh) JVM, as javac does in a clean {@code mvn compile}, with only Kardia's processor on
 * the processor path, and prints the compile's total time and the part spent in annotation
 * processing (every round: the CRD, CEL compilation, builders, RBAC). One compile per JVM, so
 * the processor's class loading and cold code are counted, as a clean build pays them; run it
 * several times (see benchmarks/README.md). Besides wall times it prints the CPU time the
 * processing took (the process's, and javac's thread's), which a loaded machine disturbs less. A main, not JMH: each sample needs a new JVM.
 *
 * <p>Arguments: {@code sources=DIR classpath=FILE processorpath=FILE out=DIR} (the files hold a
 * class path, as {@code dependency:build-classpath} writes it).
 */
public final class ProcessorCostBenchmark {
    private ProcessorCostBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        BenchmarkArgs a = BenchmarkArgs.parse(args);
        Path sources = Path.of(a.require("sources"));
        Path out = Path.of(a.require("out"));
        Files.createDirectories(out);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        long[] processing = new long[2]; // [0] start, [1] duration of the annotation processing phase
        // CPU of the compiling thread and of the whole process (JIT compilers, GC too) in that phase:
        // on a loaded machine the wall time says little, the CPU time still compares.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] cpu = new long[4]; // thread CPU at start, its duration; process CPU at start, its duration
        StringWriter diagnostics = new StringWriter();
        long start = System.nanoTime();
        boolean ok;
        try (StandardJavaFileManager files0 = javac.getStandardFileManager(null, null, null)) {
            List<String> options = List.of("--release", "21", "-d", out.toString(), "-s", out.resolve("generated").toString(),
                    "-classpath", Files.readString(Path.of(a.require("classpath"))).strip(),
                    "-processorpath", Files.readString(Path.of(a.require("processorpath"))).strip(),
                    "-Akardia.rbac.name=benchmark");
            Files.createDirectories(out.resolve("generated"));
            JavacTask task = (JavacTask) javac.getTask(diagnostics, files0, null, options, null, files0.getJavaFileObjectsFromPaths(files));
            task.addTaskListener(new TaskListener() {
                @Override
                public void started(TaskEvent e) {
                    if (e.getKind() == TaskEvent.Kind.ANNOTATION_PROCESSING) {
                        processing[0] = System.nanoTime();
                        cpu[0] = threads.getCurrentThreadCpuTime();
                        cpu[2] = os.getProcessCpuTime();
                    }
                }

                @Override
                public void finished(TaskEvent e) {
                    if (e.getKind() == TaskEvent.Kind.ANNOTATION_PROCESSING) {
                        processing[1] = System.nanoTime() - processing[0];
                        cpu[1] = threads.getCurrentThreadCpuTime() - cpu[0];
                        cpu[3] = os.getProcessCpuTime() - cpu[2];
                    }
                }
            });
            ok = task.call();
        }
        long total = System.nanoTime() - start;
        if (!ok) {
            System.err.println(diagnostics);
            throw new IllegalStateException("the sources did not compile");
        }
        System.out.printf("files=%d compile_ms=%.0f annotation_processing_ms=%.0f annotation_processing_cpu_ms=%.0f (javac thread %.0f)"
                + " process_cpu_ms=%.0f%n", files.size(), total / 1e6, processing[1] / 1e6, cpu[3] / 1e6, cpu[1] / 1e6,
                os.getProcessCpuTime() / 1e6);
    }
}
